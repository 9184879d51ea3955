using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Analysis;

/// <summary>
/// Prometheus's HTTP API (<c>/api/v1/query</c>, <c>/api/v1/query_range</c>) as 2.x serves it, and any managed
/// Prometheus that speaks it (ACK's ARMS is just another URL). Queries are POSTed form-encoded so long PromQL fits.
/// </summary>
internal sealed class PrometheusClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _queryTimeout;

    /// <summary>Talks to <paramref name="baseUrl"/> (the API root, e.g. <c>http://prometheus:9090</c>) with the credentials.</summary>
    /// <param name="baseUrl">The URL <c>/api/v1/…</c> is appended to; a path (ARMS's <c>/api/v1/prometheus/…</c> prefix) is kept.</param>
    /// <param name="credentials">Bearer token or basic auth.</param>
    /// <param name="queryTimeout">Sent as the query's <c>timeout</c>; the HTTP client waits a little longer than that.</param>
    public PrometheusClient(Uri baseUrl, PrometheusCredentials? credentials = null, TimeSpan? queryTimeout = null)
    {
        if (baseUrl.Scheme is not ("http" or "https"))
            throw new PipelineException($"--prometheus-url `{baseUrl}` is not an http(s) URL; give the Prometheus HTTP API root, e.g. http://prometheus.monitoring:9090.");
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _queryTimeout = queryTimeout ?? TimeSpan.FromSeconds(20);
        _http = new HttpClient { BaseAddress = BaseUrl, Timeout = _queryTimeout + TimeSpan.FromSeconds(5) };
        var auth = (credentials ?? PrometheusCredentials.None).Validate();
        if (auth.BearerToken is { Length: > 0 } token)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (auth.Username is { Length: > 0 } user)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{auth.Password}")));
    }

    /// <summary>The API root.</summary>
    public Uri BaseUrl { get; }

    /// <summary>An instant query evaluated at <paramref name="time"/>; the series of the vector (a scalar becomes one series).</summary>
    public async Task<IReadOnlyList<PrometheusSample>> QueryAsync(string query, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var data = await SendAsync("api/v1/query", [("query", query), ("time", Unix(time))], query, cancellationToken);
        var type = data["resultType"]?.GetValue<string>();
        var result = data["result"];
        return type switch
        {
            "vector" => (result as JsonArray ?? []).Select(s => new PrometheusSample(Labels(s), Point(s?["value"], query).Time, Point(s?["value"], query).Value)).ToList(),
            "scalar" => [new PrometheusSample(new Dictionary<string, string>(), Point(result, query).Time, Point(result, query).Value)],
            _ => throw new PrometheusException(PrometheusFailure.QueryError, $"Prometheus answered `{query}` with a {type ?? "missing"} result; an objective's query must return an instant vector (aggregate it, e.g. with sum())."),
        };
    }

    /// <summary>A range query from <paramref name="start"/> to <paramref name="end"/> (inclusive) every <paramref name="step"/>.</summary>
    public async Task<IReadOnlyList<PrometheusSeries>> QueryRangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken cancellationToken)
    {
        var data = await SendAsync("api/v1/query_range",
            [("query", query), ("start", Unix(start)), ("end", Unix(end)), ("step", step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))],
            query, cancellationToken);
        if (data["resultType"]?.GetValue<string>() != "matrix")
            throw new PrometheusException(PrometheusFailure.QueryError, $"Prometheus answered the range query `{query}` with a {data["resultType"]} result instead of a matrix.");
        return (data["result"] as JsonArray ?? [])
            .Select(s => new PrometheusSeries(Labels(s), (s?["values"] as JsonArray ?? []).Select(p => Point(p, query)).ToList()))
            .ToList();
    }

    private async Task<JsonObject> SendAsync(string path, (string Key, string Value)[] form, string query, CancellationToken cancellationToken)
    {
        var fields = form.Append(("timeout", _queryTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)))
            .Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2));
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.PostAsync(path, new FormUrlEncodedContent(fields), cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new PrometheusException(PrometheusFailure.Unreachable,
                $"Prometheus at {BaseUrl} cannot be reached ({e.Message}); check --prometheus-url and that the pipeline can reach it.", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new PrometheusException(PrometheusFailure.Unauthorized,
                    $"Prometheus at {BaseUrl} refused the query ({(int)response.StatusCode}); check --prometheus-token or --prometheus-username/--prometheus-password (ARMS: the RAM user needs AliyunPrometheusMetricReadAccess).");
            JsonObject? body = null;
            try { body = JsonNode.Parse(text) as JsonObject; } catch (JsonException) { }
            if (body is null)
                throw new PrometheusException(PrometheusFailure.Unreachable,
                    $"Prometheus at {BaseUrl} answered {(int)response.StatusCode} with something that is not its API ({Trim(text)}); check --prometheus-url (the server may still be starting).");
            if (body["status"]?.GetValue<string>() != "success")
                throw Rejected(query, (int)response.StatusCode, body["errorType"]?.GetValue<string>() ?? "error", body["error"]?.GetValue<string>() ?? Trim(text));
            return body["data"] as JsonObject
                ?? throw new PrometheusException(PrometheusFailure.QueryError, $"Prometheus answered `{query}` without data.");
        }
    }

    /// <summary>
    /// The API's error, by whose fault it is (docs/querying/api.md, web/api/v1/api.go of 2.42): <c>bad_data</c> (400, a
    /// syntax error or bad parameter) and <c>execution</c> (422) are the query's; <c>timeout</c>, <c>canceled</c>,
    /// <c>internal</c>, <c>unavailable</c> and the rest (5xx) are the server's, which no edit of the query fixes.
    /// </summary>
    private PrometheusException Rejected(string query, int status, string errorType, string error) => errorType switch
    {
        "bad_data" => new(PrometheusFailure.QueryError, $"Prometheus rejected `{query}`: bad_data: {error}; fix the query in the objectives file."),
        "execution" => new(PrometheusFailure.QueryError, $"Prometheus could not evaluate `{query}`: execution: {error}; fix the query in the objectives file (e.g. aggregate both sides of a ratio)."),
        "timeout" or "canceled" => new(PrometheusFailure.ServerError, $"Prometheus at {BaseUrl} gave up on `{query}` ({status} {errorType}: {error}); it is overloaded or its --query.timeout is short: check its load, or make the query cheaper."),
        _ => new(PrometheusFailure.ServerError, $"Prometheus at {BaseUrl} failed on its side ({status} {errorType}: {error}); this is not the query's fault: check the server's health (/-/ready) and its log, then run Analyze again."),
    };

    private static Dictionary<string, string> Labels(JsonNode? series) =>
        (series?["metric"] as JsonObject ?? []).ToDictionary(l => l.Key, l => l.Value?.GetValue<string>() ?? "");

    private static (DateTimeOffset Time, double Value) Point(JsonNode? pair, string query)
    {
        if (pair is not JsonArray { Count: 2 } array)
            throw new PrometheusException(PrometheusFailure.QueryError, $"Prometheus answered `{query}` with a malformed sample.");
        var seconds = array[0]!.GetValue<double>();
        return (DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), ParseValue(array[1]!.GetValue<string>()));
    }

    /// <summary>Prometheus writes values as Go floats: <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c> need mapping by hand.</summary>
    public static double ParseValue(string text) => text switch
    {
        "NaN" => double.NaN,
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unix(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Trim(string text) => text.Length > 200 ? text[..200] + "…" : text.Trim();

    /// <summary>Releases the HTTP connections.</summary>
    public void Dispose() => _http.Dispose();
}
