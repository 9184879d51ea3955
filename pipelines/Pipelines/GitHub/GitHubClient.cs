using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.GitHub;

/// <summary>
/// A thin client for the GitHub REST API: pull requests, labels and commit statuses, the calls Deploy
/// and the Tekton finally task use. Every route is in one place, with its verb, as Octokit does.
/// </summary>
public sealed class GitHubClient : IDisposable
{
    /// <summary>The public GitHub API; GitHub Enterprise Server passes its own <c>/api/v3</c> URL.</summary>
    public const string DefaultApiUrl = "https://api.github.com";
    private readonly HttpClient _http;

    /// <param name="token">A token with contents, pull-requests and statuses write; masked by the host, never logged here.</param>
    /// <param name="apiUrl">GitHub Enterprise: <c>https://host/api/v3</c>.</param>
    public GitHubClient(string token, string? apiUrl = null, HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = new Uri((apiUrl ?? DefaultApiUrl).TrimEnd('/') + "/") };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gitops-pipeline", "1.0"));
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
    }

    /// <summary>GET /repos/{o}/{r}/pulls?state=open — every open pull request, following pagination.</summary>
    public async Task<IReadOnlyList<PullRequest>> ListOpenPullRequestsAsync(GitHubRepository repository, string? baseBranch, CancellationToken cancellationToken)
    {
        var all = new List<PullRequest>();
        var query = $"repos/{repository}/pulls?state=open&per_page=100" + (baseBranch is null ? "" : $"&base={Uri.EscapeDataString(baseBranch)}");
        for (var page = 1; page <= 10; page++)
        {
            var batch = await SendAsync<List<PullRequest>>(HttpMethod.Get, $"{query}&page={page}", null, cancellationToken);
            all.AddRange(batch);
            if (batch.Count < 100) break;
        }
        return all;
    }

    /// <summary>POST /repos/{o}/{r}/pulls.</summary>
    public Task<PullRequest> CreatePullRequestAsync(GitHubRepository repository, NewPullRequest request, CancellationToken cancellationToken) =>
        SendAsync<PullRequest>(HttpMethod.Post, $"repos/{repository}/pulls", request, cancellationToken);

    /// <summary>PATCH /repos/{o}/{r}/pulls/{number}.</summary>
    public Task<PullRequest> UpdatePullRequestAsync(GitHubRepository repository, int number, PullRequestUpdate update, CancellationToken cancellationToken) =>
        SendAsync<PullRequest>(HttpMethod.Patch, $"repos/{repository}/pulls/{number}", update, cancellationToken);

    /// <summary>POST /repos/{o}/{r}/issues/{number}/labels.</summary>
    public Task AddLabelsAsync(GitHubRepository repository, int number, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        SendAsync<JsonNode>(HttpMethod.Post, $"repos/{repository}/issues/{number}/labels", new { labels }, cancellationToken);

    /// <summary>POST /repos/{o}/{r}/statuses/{sha}.</summary>
    public Task CreateCommitStatusAsync(GitHubRepository repository, string sha, NewCommitStatus status, CancellationToken cancellationToken) =>
        SendAsync<JsonNode>(HttpMethod.Post, $"repos/{repository}/statuses/{sha}", status, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType());
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"GitHub's API at {_http.BaseAddress} cannot be reached: {e.Message}");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw Failure(method, path, response.StatusCode, text);
            try
            {
                return JsonSerializer.Deserialize<T>(text)
                    ?? throw new PipelineException($"GitHub answered {method} /{path} with an empty body.");
            }
            catch (JsonException e)
            {
                throw new PipelineException($"GitHub answered {method} /{path} with JSON this client does not understand: {e.Message}");
            }
        }
    }

    private static PipelineException Failure(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        string? message = null;
        try
        {
            var json = JsonNode.Parse(body);
            message = json?["message"]?.GetValue<string>();
            if (json?["errors"] is JsonArray errors && errors.Count > 0)
                message += ": " + string.Join("; ", errors.Select(e => e?["message"]?.GetValue<string>() ?? e?["code"]?.GetValue<string>()));
        }
        catch (JsonException) { }
        var hint = status switch
        {
            HttpStatusCode.Unauthorized => " Check --github-token: GitHub rejected it.",
            HttpStatusCode.Forbidden => " The token lacks a permission (contents, pull-requests, statuses: write) or hit a rate limit.",
            HttpStatusCode.NotFound => " The repository does not exist or the token cannot see it.",
            _ => "",
        };
        return new PipelineException($"GitHub {(int)status} for {method} /{path}: {message ?? body.Trim()}.{hint}");
    }

    /// <summary>Releases the HTTP connections to the API.</summary>
    public void Dispose() => _http.Dispose();
}
