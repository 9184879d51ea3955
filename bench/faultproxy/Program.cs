// A reverse proxy on 127.0.0.1:<port> in front of a registry that injects faults as a FaultModes plan says
// (none, 503:N, reset:N, random:N:SEED). Usage: faultproxy <port> <upstream-url> <mode>
// Prints "listening" once ready, and the request and fault counts when stopped (SIGTERM).
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipelines.Tests.Registry;

if (args.Length != 3 || !int.TryParse(args[0], out var port) || !Uri.TryCreate(args[1], UriKind.Absolute, out var upstream))
{
    Console.Error.WriteLine("usage: faultproxy <port> <upstream-url> <none|503:N|reset:N|random:N:SEED>");
    return 2;
}
var plan = FaultModes.Parse(args[2]);
var hopByHop = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Proxy-Connection" };
using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
long requests = 0, faults = 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = null;
    kestrel.Limits.MinRequestBodyDataRate = null;
});
var app = builder.Build();
app.Run(async context =>
{
    Interlocked.Increment(ref requests);
    var method = context.Request.Method;
    switch (plan(method))
    {
        case FaultModes.Reset:
            Interlocked.Increment(ref faults);
            context.Abort();
            return;
        case { } status:
            Interlocked.Increment(ref faults);
            context.Response.StatusCode = status;
            return;
    }
    using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(upstream, context.Request.Path + context.Request.QueryString));
    if (context.Request.ContentLength > 0 || context.Request.Headers.ContainsKey("Transfer-Encoding"))
        request.Content = new StreamContent(context.Request.Body);
    else if (method is "PUT" or "POST" or "PATCH")
        request.Content = new ByteArrayContent([]);
    foreach (var (name, values) in context.Request.Headers)
    {
        if (hopByHop.Contains(name)) continue;
        if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
    }
    // Upload Locations are built from Host: keep the proxy's, so follow-up calls come through it too.
    request.Headers.Host = context.Request.Host.Value;
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    context.Response.StatusCode = (int)response.StatusCode;
    foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        if (!hopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
    if (method != "HEAD") await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
});
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("listening"));
app.Lifetime.ApplicationStopping.Register(() => Console.WriteLine($"requests {Interlocked.Read(ref requests)} faults {Interlocked.Read(ref faults)}"));
await app.RunAsync();
return 0;
