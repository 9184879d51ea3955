namespace Pipelines.Processes;

/// <summary>
/// An immutable description of a process to run: an executable and an argument list (never one
/// shell string), a working directory, and environment changes. Every <c>With*</c> returns a new command.
/// </summary>
internal sealed partial record Command
{
    /// <summary>Starts a description of running the executable (a name looked up on PATH, or a path).</summary>
    public Command(string executable)
    {
        if (string.IsNullOrWhiteSpace(executable)) throw new ArgumentException("An executable is required.", nameof(executable));
        Executable = executable;
    }

    /// <summary>The program to run: a name looked up on PATH, or a path.</summary>
    public string Executable { get; init; }
    /// <summary>The arguments, each passed as-is (no shell parsing or quoting).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// <summary>The working directory; null: the current one.</summary>
    public string? WorkingDirectory { get; init; }
    /// <summary>Variables to set; a null value removes an inherited variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Null: no limit beyond the caller's cancellation.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>How long a cancelled process gets to end after SIGTERM before its tree is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Whether output is streamed to the log, captured only, or both.</summary>
    public OutputMode Output { get; init; } = OutputMode.Stream;
    /// <summary>Text written to the process's stdin, then closed; null: no input. The way to pass a secret.</summary>
    public string? StandardInput { get; init; }
    /// <summary>Completes "`tool` is not installed: …" when the executable cannot be found.</summary>
    public string? MissingHint { get; init; }

    /// <summary>Replaces the arguments.</summary>
    public Command WithArguments(params string[] arguments) => this with { Arguments = arguments };

    /// <summary>Replaces the arguments.</summary>
    public Command WithArguments(IEnumerable<string> arguments) => this with { Arguments = arguments.ToList() };

    /// <summary>Appends arguments after the existing ones.</summary>
    public Command AddArguments(params string[] arguments) => this with { Arguments = [.. Arguments, .. arguments] };

    /// <summary>Runs the process in this directory.</summary>
    public Command WithWorkingDirectory(string? directory) => this with { WorkingDirectory = directory };

    /// <summary>Sets one variable for the process, or removes an inherited one when the value is null.</summary>
    public Command WithEnvironment(string name, string? value) =>
        this with { Environment = new Dictionary<string, string?>(Environment) { [name] = value } };

    /// <summary>Sets several variables for the process; a null value removes an inherited one.</summary>
    public Command WithEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        var merged = new Dictionary<string, string?>(Environment);
        foreach (var (name, value) in variables) merged[name] = value;
        return this with { Environment = merged };
    }

    /// <summary>Stops the process after this long; null: no limit.</summary>
    public Command WithTimeout(TimeSpan? timeout) => this with { Timeout = timeout };

    /// <summary>How long a cancelled process gets after SIGTERM before its tree is killed.</summary>
    public Command WithGracePeriod(TimeSpan grace) => this with { GracePeriod = grace };

    /// <summary>Chooses how output reaches the log.</summary>
    public Command WithOutput(OutputMode mode) => this with { Output = mode };

    /// <summary>Feeds this text to stdin: the way to hand a secret to a child process.</summary>
    public Command WithStandardInput(string? input) => this with { StandardInput = input };

    /// <summary>The fix shown when the executable is not found, e.g. how to install it.</summary>
    public Command WithMissingHint(string hint) => this with { MissingHint = hint };

    /// <summary>The command as a person would type it, arguments quoted where needed. For logs only.</summary>
    public override string ToString() =>
        string.Join(' ', new[] { Executable }.Concat(Arguments).Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%^".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''") + "'";
}
