using System.Net;
using Octokit;

namespace Pipelines.GitHub;

/// <summary>
/// Pull requests, labels and commit statuses on GitHub or GitHub Enterprise Server, the calls Deploy makes,
/// through Octokit. Callers see the toolkit's own records, never Octokit's types, and every failure is one
/// <see cref="PipelineException"/> naming the call and, where the user can fix it, the parameter.
/// </summary>
internal sealed class GitHubClient : IDisposable
{
    /// <summary>The public GitHub API; GitHub Enterprise Server passes <c>https://host</c> or <c>https://host/api/v3</c>.</summary>
    public const string DefaultApiUrl = "https://api.github.com";

    /// <summary>How long one call may take when the caller does not say: Octokit takes no cancellation token.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Octokit.GitHubClient _github;
    private readonly TimeSpan _timeout;

    /// <param name="token">A token with contents, pull-requests and statuses write; masked by the host, never logged here.</param>
    /// <param name="apiUrl">
    /// <c>https://api.github.com</c> (the default), or a GitHub Enterprise Server as <c>https://host</c> or
    /// <c>https://host/api/v3</c>; Octokit itself appends <c>/api/v3/</c> to any host but api.github.com.
    /// </param>
    /// <param name="timeout">The bound on each call (default <see cref="DefaultTimeout"/>).</param>
    public GitHubClient(string token, string? apiUrl = null, TimeSpan? timeout = null)
    {
        _timeout = timeout ?? DefaultTimeout;
        _github = new Octokit.GitHubClient(new ProductHeaderValue("gitops-pipeline", "1.0"), ApiRoot(apiUrl ?? DefaultApiUrl))
        {
            Credentials = new Credentials(token, AuthenticationType.Bearer),
        };
        // Octokit has no cancellation tokens: the connection's timeout is what bounds a call.
        _github.SetRequestTimeout(_timeout);
        ApiUrl = _github.Connection.BaseAddress;
    }

    /// <summary>The API root calls go to, e.g. <c>https://api.github.com/</c> or <c>https://ghe.example/api/v3/</c>.</summary>
    public Uri ApiUrl { get; }

    /// <summary>Every open pull request into <paramref name="baseBranch"/> (every one when null), following pagination.</summary>
    public Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(GitHubRepository repository, string? baseBranch, CancellationToken cancellationToken) =>
        CallAsync("GET", $"repos/{repository}/pulls", async () =>
        {
            var request = new PullRequestRequest { State = ItemStateFilter.Open, Base = baseBranch };
            var pulls = await _github.PullRequest.GetAllForRepository(repository.Owner, repository.Name, request, new ApiOptions { PageSize = 100 });
            return (IReadOnlyList<PullRequest>)pulls.Select(Map).ToList();
        }, cancellationToken);

    /// <summary>Opens a pull request.</summary>
    public Task<PullRequest> CreatePullRequestAsync(GitHubRepository repository, NewPullRequest request, CancellationToken cancellationToken) =>
        CallAsync("POST", $"repos/{repository}/pulls", async () => Map(await _github.PullRequest.Create(repository.Owner, repository.Name,
            new Octokit.NewPullRequest(request.Title, request.Head, request.Base) { Body = request.Body })), cancellationToken);

    /// <summary>Changes a pull request's title and body.</summary>
    public Task<PullRequest> UpdatePullRequestAsync(GitHubRepository repository, int number, PullRequestUpdate update, CancellationToken cancellationToken) =>
        CallAsync("PATCH", $"repos/{repository}/pulls/{number}", async () => Map(await _github.PullRequest.Update(repository.Owner, repository.Name, number,
            new Octokit.PullRequestUpdate { Title = update.Title, Body = update.Body })), cancellationToken);

    /// <summary>Adds labels to a pull request (an issue, for GitHub's labels).</summary>
    public Task AddLabelsAsync(GitHubRepository repository, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        CallAsync("POST", $"repos/{repository}/issues/{number}/labels",
            () => _github.Issue.Labels.AddToIssue(repository.Owner, repository.Name, number, labels.ToArray()), cancellationToken);

    /// <summary>Posts a commit status for <paramref name="sha"/>.</summary>
    public Task CreateCommitStatusAsync(GitHubRepository repository, string sha, NewCommitStatus status, CancellationToken cancellationToken) =>
        CallAsync("POST", $"repos/{repository}/statuses/{sha}", () => _github.Repository.Status.Create(repository.Owner, repository.Name, sha,
            new Octokit.NewCommitStatus
            {
                State = Enum.Parse<Octokit.CommitState>(status.State, ignoreCase: true),
                Context = status.Context,
                Description = status.Description,
                TargetUrl = status.TargetUrl,
            }), cancellationToken);

    /// <summary>Releases the HTTP connections to the API.</summary>
    public void Dispose() => (_github.Connection as IDisposable)?.Dispose();

    /// <summary>
    /// The root Octokit is given: api.github.com as is, any other host without a path (Octokit appends <c>/api/v3/</c>
    /// and would silently drop any other path, so one is refused here).
    /// </summary>
    internal static Uri ApiRoot(string apiUrl)
    {
        if (!Uri.TryCreate(apiUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw new PipelineException($"--github-api-url '{apiUrl}' is not an http(s) URL; pass {DefaultApiUrl} or, for GitHub Enterprise Server, https://host/api/v3.");
        if (uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase))
            return new Uri(DefaultApiUrl + "/");
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.Length > 0 && !path.Equals("/api/v3", StringComparison.OrdinalIgnoreCase))
            throw new PipelineException($"--github-api-url '{apiUrl}' has the path '{uri.AbsolutePath}'; GitHub Enterprise Server serves its API at https://host/api/v3, pass that or https://host.");
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private Task CallAsync(string method, string path, Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(method, path, async () => { await call(); return true; }, cancellationToken);

    private async Task<T> CallAsync<T>(string method, string path, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // The request itself ends at the connection's timeout; WaitAsync lets Ctrl-C return at once.
            return await call().WaitAsync(cancellationToken);
        }
        catch (ApiException e)
        {
            throw Failure(method, path, e);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"GitHub's API at {ApiUrl} cannot be reached: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PipelineException($"GitHub's API at {ApiUrl} did not answer {method} /{path} within {_timeout.TotalSeconds:0} s.", e);
        }
    }

    private static PipelineException Failure(string method, string path, ApiException e)
    {
        var message = e.ApiError?.Message;
        if (e.ApiError?.Errors is { Count: > 0 } errors)
            message += ": " + string.Join("; ", errors.Select(error => error.Message ?? error.Code));
        var hint = e.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " Check --github-token: GitHub rejected it.",
            HttpStatusCode.Forbidden => " The token lacks a permission (contents, pull-requests, statuses: write) or hit a rate limit.",
            HttpStatusCode.NotFound => " The repository does not exist or the token cannot see it.",
            _ => "",
        };
        var detail = string.IsNullOrWhiteSpace(message) ? e.HttpResponse?.Body?.ToString()?.Trim() : message;
        return new PipelineException($"GitHub {(int)e.StatusCode} for {method} /{path}: {detail}.{hint}", e);
    }

    private static PullRequest Map(Octokit.PullRequest pull) => new(
        pull.Number,
        pull.HtmlUrl,
        pull.State.StringValue,
        pull.Title,
        pull.Body,
        new PullRequestRef(pull.Head.Ref, pull.Head.Sha),
        new PullRequestRef(pull.Base.Ref, pull.Base.Sha));
}
