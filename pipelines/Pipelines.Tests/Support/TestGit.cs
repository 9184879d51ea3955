using System.Collections.Frozen;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.Tests.Support;

/// <summary>
/// git as tests run it: through <see cref="Command"/>, with a fixed identity and none of the machine's or user's
/// configuration (<c>GIT_CONFIG_GLOBAL=/dev/null</c>, <c>GIT_CONFIG_NOSYSTEM=1</c>), so a developer's hooks, signing
/// or default branch cannot change what a test sees.
/// </summary>
public static class TestGit
{
    /// <summary>The author and committer name of every commit a test makes.</summary>
    public const string Name = "Test";

    /// <summary>The author and committer e-mail of every commit a test makes.</summary>
    public const string Email = "test@example.com";

    private static readonly FrozenDictionary<string, string?> Environment = new Dictionary<string, string?>
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = Name,
        ["GIT_AUTHOR_EMAIL"] = Email,
        ["GIT_COMMITTER_NAME"] = Name,
        ["GIT_COMMITTER_EMAIL"] = Email,
    }.ToFrozenDictionary();

    /// <summary>An isolated, quiet git command run in <paramref name="directory"/> (or the current one when null).</summary>
    internal static Command In(string? directory) =>
        new Command("git").WithWorkingDirectory(directory).WithEnvironment(Environment).WithOutput(OutputMode.Quiet);

    /// <summary>Runs git in <paramref name="directory"/> and returns its result, failing the test if git fails.</summary>
    internal static async Task<CommandResult> RunAsync(string? directory, IEnumerable<string> arguments, ILog? log = null) =>
        (await In(directory).WithArguments(arguments).ExecuteAsync(log)).EnsureSuccess();

    /// <summary>Runs git in <paramref name="directory"/> and returns its standard output, failing the test if git fails.</summary>
    public static async Task<string> OutputAsync(string? directory, params string[] arguments) =>
        (await RunAsync(directory, arguments)).StandardOutput;
}
