using System.Text;
using Pipelines.Logging;
using Pipelines.Processes;

namespace Pipelines.GitOps;

/// <summary>
/// Runs git through the process runner with what every call needs: no prompts, English messages (the
/// push-rejection check reads them), the deploy identity, and the token as an HTTP header set through
/// the environment, so it is neither in argv nor in a URL.
/// </summary>
internal sealed class GitCli(ManifestsRepositoryOptions options, ILog log)
{
    private const string Hint = "install git (https://git-scm.com/downloads) and make sure it is on PATH";

    public async Task<CommandResult> RunAsync(string? directory, IEnumerable<string> arguments, CancellationToken ct, string? input = null)
    {
        var command = new Command("git")
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithOutput(OutputMode.Quiet)
            .WithMissingHint(Hint)
            .WithStandardInput(input)
            // A hung network or credential prompt must not hang the pipeline.
            .WithTimeout(TimeSpan.FromMinutes(10))
            .WithEnvironment(Environment());
        // The token travels in the environment only, so the command line is safe to show with --verbose.
        log.Debug(command.ToString());
        return await command.ExecuteAsync(log, ct);
    }

    /// <summary>Runs git and throws (naming <paramref name="what"/>) when it fails; returns trimmed standard output.</summary>
    public async Task<string> RunCheckedAsync(string? directory, string what, CancellationToken ct, params string[] arguments)
    {
        var result = await RunAsync(directory, arguments, ct);
        result.EnsureSuccess(what);
        return result.StandardOutput.Trim();
    }

    private Dictionary<string, string?> Environment()
    {
        var identity = options.Author;
        var variables = new Dictionary<string, string?>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GCM_INTERACTIVE"] = "never",
            ["LC_ALL"] = "C",
            ["LANGUAGE"] = "C",
            ["GIT_AUTHOR_NAME"] = identity.Name,
            ["GIT_AUTHOR_EMAIL"] = identity.Email,
            ["GIT_COMMITTER_NAME"] = identity.Name,
            ["GIT_COMMITTER_EMAIL"] = identity.Email,
        };
        if (options.Token is { Length: > 0 } token && SendsTokenTo(options.Url))
        {
            // GitHub, GitLab and Azure DevOps accept a token as the password of basic auth.
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
            variables["GIT_CONFIG_COUNT"] = "1";
            variables["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            variables["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic;
        }
        return variables;
    }

    /// <summary>HTTPS, or plain HTTP to this machine only (a local server or test): a token never crosses a network in clear.</summary>
    private static bool SendsTokenTo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
