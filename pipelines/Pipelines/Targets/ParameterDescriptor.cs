using System.Reflection;
using System.Text;
using Pipelines.Signing;

namespace Pipelines.Targets;

/// <summary>One declared parameter: its names, type and description.</summary>
internal sealed class ParameterDescriptor
{
    private readonly MemberInfo _member;

    /// <summary>The prefix of every parameter's environment variable, as NUKE accepts <c>NUKE_</c>.</summary>
    public const string EnvironmentPrefix = "PIPELINE_";

    private ParameterDescriptor(MemberInfo member, ParameterAttribute attribute, bool isSecret)
    {
        _member = member;
        MemberName = member.Name;
        Description = attribute.Description;
        IsSecret = isSecret;
        _pathShown = member.IsDefined(typeof(KeyOrPathSecretAttribute));
        IsPerService = attribute.PerService;
        IsLocalOnly = attribute.LocalOnly;
        DeclaringType = member.DeclaringType!;
        Type = member switch
        {
            FieldInfo f => f.FieldType,
            PropertyInfo p => p.PropertyType,
            _ => throw new ArgumentException("Parameters are fields or properties.", nameof(member)),
        };
        CliName = ToKebab(member.Name);
        EnvironmentName = EnvironmentPrefix + CliName.Replace('-', '_').ToUpperInvariant();
        EnvironmentAlias = attribute.EnvironmentAlias;
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

    private readonly bool _pathShown;

    /// <summary>Whether this value of the parameter is masked in logs: a secret's, except a plausible file path given to a <see cref="KeyOrPathSecretAttribute"/> one.</summary>
    internal bool MasksValue(string value) => IsSecret && (!_pathShown || !KeyText.IsPlausiblePath(value));
    /// <summary>The declared type, which decides how text is converted.</summary>
    public Type Type { get; }
    /// <summary>True for <c>[Parameter(PerService = true)]</c>: it describes one service (see <see cref="ParameterAttribute.PerService"/>).</summary>
    public bool IsPerService { get; }
    /// <summary>True for <c>[Parameter(LocalOnly = true)]</c>: never in generated CI files.</summary>
    public bool IsLocalOnly { get; }
    /// <summary>The class or component interface that declares it: help lists it under that component's target.</summary>
    public Type DeclaringType { get; }
    /// <summary>True when it is a property of a component interface, whose value the build keeps (<see cref="PipelineBuild.ValueOf{T}"/>).</summary>
    public bool IsComponentParameter => DeclaringType.IsInterface;
    /// <summary>True when a bare <c>--flag</c> may stand for <c>true</c>.</summary>
    public bool IsBoolean => (Nullable.GetUnderlyingType(Type) ?? Type) == typeof(bool);

    /// <summary>
    /// Finds the <c>[Parameter]</c> fields and properties of a build class and of the component interfaces it
    /// implements (NUKE's components: <c>[Parameter] string? Registry => ValueOf(() => Registry, null);</c>).
    /// Two declarations of one command-line name are a mistake in the build, named here.
    /// </summary>
    public static IReadOnlyList<ParameterDescriptor> Discover(Type buildType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        var members = new List<MemberInfo>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            members.AddRange(type.GetFields(flags | BindingFlags.DeclaredOnly).Cast<MemberInfo>()
                .Concat(type.GetProperties(flags | BindingFlags.DeclaredOnly)));
        foreach (var component in buildType.GetInterfaces())
            members.AddRange(component.GetProperties(flags | BindingFlags.DeclaredOnly));
        var parameters = members
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new ParameterDescriptor(x.Member, x.Attribute!, x.Member.IsDefined(typeof(SecretAttribute))))
            .OrderBy(p => p.CliName, StringComparer.Ordinal)
            .ToList();
        var twice = parameters.GroupBy(p => p.CliName).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new InvalidOperationException($"--{twice.Key} is declared more than once ({string.Join(", ", twice.Select(p => $"{p.DeclaringType.Name}.{p.MemberName}"))}): keep one declaration.");
        return parameters;
    }

    /// <summary>Reads the parameter's current value from the build (a component's property reads what the build keeps for it).</summary>
    public object? GetValue(object build) => _member switch
    {
        FieldInfo f => f.GetValue(build),
        PropertyInfo p => p.GetValue(build),
        _ => null,
    };

    /// <summary>Stores a bound value into the build: a field (even a readonly one), or the value a component's property reads.</summary>
    public void SetValue(object build, object? value)
    {
        if (build is PipelineBuild pipelineBuild) pipelineBuild.MarkGiven(MemberName);
        switch (_member)
        {
            case PropertyInfo p when p.DeclaringType!.IsInterface:
                if (build is not PipelineBuild owner)
                    throw new InvalidOperationException($"Parameter {p.Name} of {p.DeclaringType.Name} needs a build deriving from PipelineBuild, which keeps its value.");
                owner.SetParameterValue(p.Name, value);
                break;
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
                _ when type == typeof(double) => "number",
                _ when type == typeof(string[]) => "list",
                _ when type == typeof(TimeSpan) => "duration",
                _ when type == typeof(FileInfo) => "file",
                _ when type == typeof(DirectoryInfo) => "directory",
                _ => type.Name,
            };
        }
    }
}
