using System.Globalization;

namespace Pipelines.Targets;

/// <summary>Converts text from the command line or the environment into a parameter's type.</summary>
internal static partial class ParameterConverter
{
    /// <summary>Converts, or throws a <see cref="PipelineException"/> naming the parameter and the expected form.</summary>
    public static object? Convert(ParameterDescriptor parameter, string text, string source, string baseDirectory)
    {
        var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
        if (TryConvert(type, text.Trim(), baseDirectory, out var value)) return value;
        var shown = parameter.IsSecret ? "***" : text;
        if (type == typeof(TimeSpan) && !parameter.IsSecret && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new PipelineException(
                $"Parameter --{parameter.CliName} ({source}): '{shown}' has no unit: did you mean {text.Trim()}m? Write the unit: {text.Trim()}s, {text.Trim()}m or {text.Trim()}h.");
        throw new PipelineException(
            $"Parameter --{parameter.CliName} ({source}): '{shown}' is not {Expected(type)}.");
    }

    private static bool TryConvert(Type type, string text, string baseDirectory, out object? value)
    {
        value = null;
        if (type == typeof(string)) { value = text; return true; }
        if (type == typeof(bool)) { value = ParseBool(text); return value is not null; }
        if (type == typeof(int))
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) return false;
            value = i;
            return true;
        }
        if (type == typeof(double))
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return false;
            value = d;
            return true;
        }
        if (type == typeof(string[]))
        {
            value = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return true;
        }
        if (type == typeof(TimeSpan)) { value = ParseDuration(text); return value is not null; }
        if (type == typeof(FileInfo)) { value = new FileInfo(Path.GetFullPath(text, baseDirectory)); return text.Length > 0; }
        if (type == typeof(DirectoryInfo)) { value = new DirectoryInfo(Path.GetFullPath(text, baseDirectory)); return text.Length > 0; }
        if (type.IsEnum)
        {
            var normalized = text.Replace("-", "").Replace("_", "");
            var name = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, normalized, StringComparison.OrdinalIgnoreCase));
            if (name is null) return false;
            value = Enum.Parse(type, name);
            return true;
        }
        throw new NotSupportedException($"Parameters of type {type.Name} are not supported.");
    }

    /// <summary>Reads a boolean the way CLI users and env files write it; null when the text is none of those words.</summary>
    public static bool? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => null,
    };

    /// <summary>
    /// <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c> or <c>00:05:00</c>; a bare number needs its unit (is <c>5</c>
    /// seconds or minutes?) except <c>0</c>.
    /// </summary>
    public static TimeSpan? ParseDuration(string text) => Durations.Parse(text);

    /// <summary>Formats a parameter value for help and plans in the form it would be typed.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        string[] list => string.Join(",", list),
        TimeSpan t => FormatDuration(t),
        FileSystemInfo f => f.FullName,
        Enum e => e.ToString().ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Formats a duration the way a parameter accepts it back (<see cref="Durations.Format"/> owns the form).</summary>
    public static string FormatDuration(TimeSpan t) => Durations.Format(t);

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(bool) => "a boolean; expected true or false",
        _ when type == typeof(int) => "a whole number; expected digits such as 3",
        _ when type == typeof(double) => "a number; expected a form such as 75 or 74.5",
        _ when type == typeof(TimeSpan) => "a duration; expected a form such as 90s, 5m, 1h30m or 00:05:00",
        _ when type.IsEnum => $"one of the allowed values; expected {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}",
        _ when type == typeof(FileInfo) || type == typeof(DirectoryInfo) => "a path; expected a file or directory path",
        _ => $"a valid {type.Name}",
    };
}
