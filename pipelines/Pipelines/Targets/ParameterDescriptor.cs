using System.Reflection;
using System.Text;

namespace Pipelines.Targets;

/// <summary>One declared parameter: its names, type and description.</summary>
internal sealed class ParameterDescriptor
{
    private readonly MemberInfo _member;

    /// <summary>The prefix of every parameter's environment variable, as NUKE accepts <c>NUKE_</c>.</summary>
    public const string EnvironmentPrefix = "PIPELINE_";

    private ParameterDescriptor(MemberInfo member, string description, bool isSecret, string? environmentAlias = null)
    {
        _member = member;
        MemberName = member.Name;
        Description = description;
        IsSecret = isSecret;
        Type = member switch
        {
            FieldInfo f => f.FieldType,
            PropertyInfo p => p.PropertyType,
            _ => throw new ArgumentException("Parameters are fields or properties.", nameof(member)),
        };
        CliName = ToKebab(member.Name);
        EnvironmentName = EnvironmentPrefix + CliName.Replace('-', '_').ToUpperInvariant();
        EnvironmentAlias = environmentAlias;
    }

    /// <summary>The field or property name in the build class.</summary>
    public string MemberName { get; }
    /// <summary>Without the leading dashes: <c>registry-url</c>.</summary>
    public string CliName { get; }
    /// <summary>The environment variable it is read from: <c>PIPELINE_REGISTRY_URL</c>.</summary>
    public string EnvironmentName { get; }
    /// <summary>The ecosystem's own name for it, read when the prefixed one is unset: <c>GITHUB_TOKEN</c>; usually null.</summary>
    public string? EnvironmentAlias { get; }
    /// <summary>The environment variables it is read from, in order.</summary>
    public IReadOnlyList<string> EnvironmentNames => EnvironmentAlias is null ? [EnvironmentName] : [EnvironmentName, EnvironmentAlias];
    /// <summary>Shown in <c>--help</c> and the generated CI files.</summary>
    public string Description { get; }
    /// <summary>True for <c>[Secret]</c>: masked in logs and never saved.</summary>
    public bool IsSecret { get; }
    /// <summary>The declared type, which decides how text is converted.</summary>
    public Type Type { get; }
    /// <summary>True when a bare <c>--flag</c> may stand for <c>true</c>.</summary>
    public bool IsBoolean => (Nullable.GetUnderlyingType(Type) ?? Type) == typeof(bool);

    /// <summary>Finds the <c>[Parameter]</c> fields and properties of a build class.</summary>
    public static IReadOnlyList<ParameterDescriptor> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = new List<MemberInfo>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            members.AddRange(type.GetFields(flags | BindingFlags.DeclaredOnly).Cast<MemberInfo>()
                .Concat(type.GetProperties(flags | BindingFlags.DeclaredOnly)));
        return members
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new ParameterDescriptor(x.Member, x.Attribute!.Description, x.Member.IsDefined(typeof(SecretAttribute)), x.Attribute.EnvironmentAlias))
            .OrderBy(p => p.CliName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads the parameter's current value from the build.</summary>
    public object? GetValue(object build) => _member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    /// <summary>Stores a bound value into the build, even into a readonly field.</summary>
    public void SetValue(object build, object? value)
    {
        switch (_member)
        {
            case FieldInfo f: f.SetValue(build, value); break;
            case PropertyInfo p when p.SetMethod is not null: p.SetValue(build, value); break;
            case PropertyInfo p:
                // Auto-properties with only a getter still have a backing field.
                var backing = p.DeclaringType!.GetField($"<{p.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic)
                    ?? throw new InvalidOperationException($"Parameter {p.Name} has no setter.");
                backing.SetValue(build, value);
                break;
        }
    }

    /// <summary>The value as the user would type it; secrets are masked.</summary>
    public string Display(object build)
    {
        if (IsSecret) return GetValue(build) is null ? "" : "***";
        return ParameterConverter.Format(GetValue(build));
    }

    /// <summary>Turns a member name into its CLI name: <c>RegistryUrl</c> → <c>registry-url</c>.</summary>
    public static string ToKebab(string name)
    {
        var trimmed = name.TrimStart('_');
        var builder = new StringBuilder();
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsUpper(c))
            {
                var previousIsLowerOrDigit = i > 0 && (char.IsLower(trimmed[i - 1]) || char.IsDigit(trimmed[i - 1]));
                var acronymEnds = i > 0 && char.IsUpper(trimmed[i - 1]) && i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1]);
                if (previousIsLowerOrDigit || acronymEnds) builder.Append('-');
                builder.Append(char.ToLowerInvariant(c));
            }
            else builder.Append(c == '_' ? '-' : c);
        }
        return builder.ToString();
    }

    /// <summary>The type as help shows it (<c>string</c>, <c>a|b</c> for enums).</summary>
    public string TypeName
    {
        get
        {
            var type = Nullable.GetUnderlyingType(Type) ?? Type;
            if (type.IsEnum) return string.Join("|", Enum.GetNames(type).Select(n => n.ToLowerInvariant()));
            return type switch
            {
                _ when type == typeof(string) => "string",
                _ when type == typeof(bool) => "bool",
                _ when type == typeof(int) => "int",
                _ when type == typeof(string[]) => "list",
                _ when type == typeof(TimeSpan) => "duration",
                _ when type == typeof(FileInfo) => "file",
                _ when type == typeof(DirectoryInfo) => "directory",
                _ => type.Name,
            };
        }
    }
}
