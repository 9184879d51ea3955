using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Logging;

namespace Pipelines.GitOps;

/// <summary>
/// Pokes a Flux Receiver right after a push so Flux fetches at once instead of at its next interval.
/// The body is signed with the Receiver's token: <c>X-Signature: sha256=…</c> for generic-hmac,
/// <c>X-Hub-Signature-256</c> with a push event for the github type.
/// </summary>
internal sealed class FluxReceiverNotifier(ILog log, HttpMessageHandler? handler = null)
{
    /// <summary>Pokes the Flux Receiver so it reconciles now instead of at its next interval.</summary>
    public async Task NotifyAsync(FluxReceiverRequest request, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["ref"] = $"refs/heads/{request.Branch}",
            ["after"] = request.Commit,
            ["source"] = "gitops-pipeline",
        }.ToJsonString();
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(request.Token), Encoding.UTF8.GetBytes(body)));

        using var http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null) { Timeout = TimeSpan.FromSeconds(30) };
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (request.Type == FluxReceiverType.GitHub)
        {
            message.Headers.Add("X-GitHub-Event", "push");
            message.Headers.Add("X-Hub-Signature-256", signature);
        }
        else message.Headers.Add("X-Signature", signature);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new PipelineException($"The Flux receiver at {Redacted(request.Url)} cannot be reached ({e.Message}); check --flux-receiver-url.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PipelineException($"The Flux receiver at {Redacted(request.Url)} did not answer within 30s; check --flux-receiver-url.");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                log.Info($"Flux receiver notified ({Redacted(request.Url)}): Flux will fetch {request.Commit[..Math.Min(12, request.Commit.Length)]} now.");
                return;
            }
            var reason = response.StatusCode switch
            {
                HttpStatusCode.NotFound => "no Receiver has that path; copy status.webhookPath of the Receiver into --flux-receiver-url",
                HttpStatusCode.BadRequest => "the Receiver rejected the signature or event; check --flux-receiver-token against the Receiver's Secret (a trailing newline counts) and the Receiver's type",
                HttpStatusCode.ServiceUnavailable => "the Receiver is suspended or not Ready (`flux get receivers`)",
                _ => $"HTTP {(int)response.StatusCode}",
            };
            throw new PipelineException($"The Flux receiver at {Redacted(request.Url)} answered {(int)response.StatusCode}: {reason}.");
        }
    }

    /// <summary>The webhook path is derived from the token, so it is half a secret: show only its start.</summary>
    private static string Redacted(Uri url)
    {
        var path = url.AbsolutePath;
        var shown = path.StartsWith("/hook/", StringComparison.Ordinal) && path.Length > 14 ? path[..14] + "…" : path;
        return $"{url.Scheme}://{url.Authority}{shown}";
    }
}
