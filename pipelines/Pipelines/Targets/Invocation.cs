namespace Pipelines.Targets;

/// <summary>The command line, parsed: <c>[Target…] [--param value…] [--skip [Target…]] [--plan] [--fresh] [--help] [--verbose]</c>.</summary>
internal sealed record Invocation
{
    /// <summary>The targets named on the command line; empty: the default target.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
    /// <summary>Parameter values by CLI name (without dashes), as typed.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>Null without <c>--skip</c>; empty when <c>--skip</c> named no target.</summary>
    public IReadOnlyList<string>? Skip { get; init; }
    /// <summary><c>--plan</c>: show the plan without running it.</summary>
    public bool Plan { get; init; }
    /// <summary><c>--help</c>: show targets and parameters.</summary>
    public bool Help { get; init; }
    /// <summary><c>--markdown</c>: write help as markdown tables.</summary>
    public bool Markdown { get; init; }
    /// <summary><c>--verbose</c>: show debug lines.</summary>
    public bool Verbose { get; init; }
    /// <summary><c>--fresh</c>: run cacheable targets even when their inputs are unchanged (the cache is still updated).</summary>
    public bool Fresh { get; init; }
    /// <summary><c>--host terminal|github|tekton</c> overrides detection.</summary>
    public string? Host { get; init; }

    /// <summary>
    /// Words that followed a boolean flag (<c>--push maybe</c>) and were therefore read as targets: when such a word
    /// names no target, the message names the flag instead of an unknown target.
    /// </summary>
    public IReadOnlyDictionary<string, string> AfterBooleanFlag { get; init; } = new Dictionary<string, string>();

    /// <summary>The part of the invocation the planner needs.</summary>
    public PlanRequest ToPlanRequest() => new(Targets, Skip);

    /// <summary>Parses arguments against the declared parameters (so that a bare boolean flag can stand alone).</summary>
    public static Invocation Parse(IReadOnlyList<string> args, IReadOnlyList<ParameterDescriptor> parameters)
    {
        var byName = parameters.ToDictionary(p => p.CliName, StringComparer.OrdinalIgnoreCase);
        var targets = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var afterFlag = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        List<string>? skip = null;
        bool plan = false, help = false, markdown = false, verbose = false, fresh = false;
        string? host = null;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                targets.Add(arg);
                continue;
            }

            var (name, inlineValue) = SplitOption(arg);
            switch (name.ToLowerInvariant())
            {
                case "help" or "h" or "?": help = true; continue;
                case "plan": plan = true; continue;
                case "verbose" or "v": verbose = true; continue;
                case "markdown": markdown = true; continue;
                case "fresh": fresh = true; continue;
                case "host": host = inlineValue ?? TakeValue(ref i, "host"); continue;
                case "skip":
                    skip ??= [];
                    if (inlineValue is not null) skip.AddRange(SplitList(inlineValue));
                    while (i + 1 < args.Count && !args[i + 1].StartsWith('-')) skip.AddRange(SplitList(args[++i]));
                    continue;
            }

            if (!byName.TryGetValue(name, out var parameter))
                throw new PipelineException(Suggestions.UnknownMessage("parameter", "--" + name,
                    parameters.Select(p => "--" + p.CliName).Concat(["--skip", "--plan", "--fresh", "--help", "--verbose"])).Replace("Valid:", "Valid parameters:"));

            if (inlineValue is not null) Set(parameter, inlineValue);
            else if (parameter.IsBoolean)
            {
                // `--push` alone means true; `--push false` is also accepted.
                if (i + 1 < args.Count && ParameterConverter.ParseBool(args[i + 1]) is not null) values[parameter.CliName] = args[++i];
                else
                {
                    values[parameter.CliName] = "true";
                    if (i + 1 < args.Count && !args[i + 1].StartsWith('-')) afterFlag.TryAdd(args[i + 1], parameter.CliName);
                }
            }
            else Set(parameter, TakeValue(ref i, parameter.CliName));
        }

        // A list parameter given twice (`--notify a --notify b`) keeps both; any other keeps the last.
        void Set(ParameterDescriptor parameter, string value) =>
            values[parameter.CliName] = parameter.Type == typeof(string[]) && values.TryGetValue(parameter.CliName, out var earlier) ? earlier + "," + value : value;

        return new Invocation
        {
            Targets = targets,
            Parameters = values,
            Skip = skip,
            Plan = plan,
            Help = help,
            Markdown = markdown,
            Verbose = verbose,
            Fresh = fresh,
            Host = host,
            AfterBooleanFlag = afterFlag,
        };

        // A value may start with '-' (a PEM key, a negative number): only a known option ends a parameter's value.
        string TakeValue(ref int index, string option)
        {
            if (index + 1 >= args.Count || IsOption(args[index + 1]))
                throw new PipelineException($"Parameter --{option} needs a value: --{option} <value> (or --{option}=<value> for a value that looks like an option).");
            return args[++index];
        }

        bool IsOption(string arg)
        {
            if (!arg.StartsWith('-') || arg.Length < 2) return false;
            var name = SplitOption(arg).Name;
            return byName.ContainsKey(name) || BuiltInOptions.Contains(name);
        }
    }

    /// <summary>The engine's own options (the switch above): a parameter's value never swallows one of them.</summary>
    private static readonly HashSet<string> BuiltInOptions = new(StringComparer.OrdinalIgnoreCase)
        { "help", "h", "?", "plan", "verbose", "v", "markdown", "fresh", "host", "skip" };

    private static (string Name, string? Value) SplitOption(string arg)
    {
        var body = arg.TrimStart('-');
        var equals = body.IndexOf('=');
        return equals < 0 ? (body, null) : (body[..equals], body[(equals + 1)..]);
    }

    private static IEnumerable<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
