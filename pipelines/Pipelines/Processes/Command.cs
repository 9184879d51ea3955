namespace Pipelines.Processes;

/// <summary>
/// An immutable description of a process to run: an executable and an argument list (never one
/// shell string), a working directory, and environment changes. Every <c>With*</c> returns a new command.
/// </summary>
public sealed partial record Command
{
    public Command(string executable)
    {
        if (string.IsNullOrWhiteSpace(executable)) throw new ArgumentException("An executable is required.", nameof(executable));
        Executable = executable;
    }

    public string Executable { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public string? WorkingDirectory { get; init; }
    /// <summary>Variables to set; a null value removes an inherited variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Null: no limit beyond the caller's cancellation.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>How long a cancelled process gets to end after SIGTERM before its tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);
    public OutputMode Output { get; init; } = OutputMode.Stream;
    public string? StandardInput { get; init; }
    /// <summary>Completes "`tool` is not installed: …" when the executable cannot be found.</summary>
    public string? MissingHint { get; init; }

    public Command WithArguments(params string[] arguments) => this with { Arguments = arguments };

    public Command WithArguments(IEnumerable<string> arguments) => this with { Arguments = arguments.ToList() };

    public Command AddArguments(params string[] arguments) => this with { Arguments = [.. Arguments, .. arguments] };

    public Command WithWorkingDirectory(string? directory) => this with { WorkingDirectory = directory };

    public Command WithEnvironment(string name, string? value) =>
        this with { Environment = new Dictionary<string, string?>(Environment) { [name] = value } };

    public Command WithEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        var merged = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in variables) merged[name] = value;
        return this with { Environment = merged };
    }

    public Command WithTimeout(TimeSpan? timeout) => this with { Timeout = timeout };

    public Command WithGracePeriod(TimeSpan grace) => this with { GracePeriod = grace };

    public Command WithOutput(OutputMode mode) => this with { Output = mode };

    public Command WithStandardInput(string? input) => this with { StandardInput = input };

    public Command WithMissingHint(string hint) => this with { MissingHint = hint };

    /// <summary>The command as a person would type it, arguments quoted where needed. For logs only.</summary>
    public override string ToString() =>
        string.Join(' ', new[] { Executable }.Concat(Arguments).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%^".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
