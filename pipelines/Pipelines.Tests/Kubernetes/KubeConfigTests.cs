using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipelines.Kubernetes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Kubernetes;

public class KubeConfigTests : IDisposable
{
    private readonly TempDirectory _temp = new("kubeconfig");

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: ack-dev
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
        - name: ack-prod
          cluster:
            server: https://prod.example:6443
            insecure-skip-tls-verify: true
        contexts:
        - name: dev
          context: {cluster: ack-dev, user: dev-user, namespace: flux-system}
        - name: prod
          context: {cluster: ack-prod, user: prod-user}
        users:
        - name: dev-user
          user:
            token: dev-token
        - name: prod-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ack-ram-tool
              args: [credential-plugin, get-token]
              env:
              - name: REGION
                value: cn-shanghai
        """;

    [Fact]
    public void The_current_context_picks_cluster_user_and_namespace()
    {
        var path = Write("config", TwoContexts);

        var endpoint = KubeConfig.Resolve(path, null, new Dictionary<string, string>());

        Assert.Equal(new Uri("https://10.0.0.1:6443"), endpoint.Server);
        Assert.Equal("flux-system", endpoint.Namespace);
        Assert.Equal("dev-token", endpoint.Token);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", endpoint.CertificateAuthorityPem);
        Assert.Equal($"context dev in {path}", endpoint.Source);
    }

    [Fact]
    public void A_relative_exec_command_with_a_slash_is_relative_to_its_kubeconfig_as_in_client_go()
    {
        var path = Write("config", TwoContexts.Replace("command: ack-ram-tool", "command: ./bin/ack-ram-tool"));

        var endpoint = KubeConfig.Resolve(path, "prod", new Dictionary<string, string>());

        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "bin", "ack-ram-tool"), endpoint.Exec!.Command);
    }

    [Fact]
    public void A_named_context_with_an_exec_plugin_is_read_fully()
    {
        var endpoint = KubeConfig.Resolve(Write("config", TwoContexts), "prod", new Dictionary<string, string>());

        Assert.True(endpoint.InsecureSkipTlsVerify);
        Assert.Equal("ack-ram-tool", endpoint.Exec!.Command);
        Assert.Equal(["credential-plugin", "get-token"], endpoint.Exec.Arguments);
        Assert.Equal("cn-shanghai", endpoint.Exec.Environment["REGION"]);
    }

    [Fact]
    public void KUBECONFIG_lists_several_files_and_the_first_naming_a_context_wins()
    {
        var first = Write("a", "current-context: prod\nclusters: []\ncontexts: []\nusers: []\n");
        var second = Write("b", TwoContexts);

        var endpoint = KubeConfig.Resolve(null, null, new Dictionary<string, string> { ["KUBECONFIG"] = $"{first}:{second}" });

        Assert.Equal(new Uri("https://prod.example:6443"), endpoint.Server);
    }

    [Fact]
    public void An_unknown_context_lists_the_known_ones()
    {
        var config = Write("config", TwoContexts);
        var error = Assert.Throws<PipelineException>(() => KubeConfig.Resolve(config, "staging", new Dictionary<string, string>()));

        Assert.Equal($"The kubeconfig {config} has no context named 'staging' (--kube-context); pass --kube-context with one of its contexts. Known: dev, prod.", error.Message);
    }

    [Fact]
    public void A_current_context_the_file_lacks_names_the_file_and_kube_context()
    {
        var config = Write("config", TwoContexts.Replace("current-context: dev", "current-context: gone"));

        var error = Assert.Throws<PipelineException>(() => KubeConfig.Resolve(config, null, new Dictionary<string, string>()));

        Assert.Equal($"The kubeconfig {config} has no context named 'gone' (its current-context); pass --kube-context <name> with one of its contexts, or fix current-context. Known: dev, prod.", error.Message);
    }

    [Fact]
    public void No_credentials_at_all_says_what_to_pass()
    {
        var error = Assert.Throws<PipelineException>(() =>
            KubeConfig.Resolve(null, null, new Dictionary<string, string> { ["HOME"] = _temp.Path }));

        Assert.Contains("Pass --kubeconfig <file>, set KUBECONFIG, or run inside the cluster", error.Message);
    }

    [Fact]
    public void In_cluster_configuration_reads_the_service_account()
    {
        Directory.CreateDirectory(_temp.Combine("sa"));
        Write("sa/token", "sa-token\n");
        Write("sa/namespace", "tekton-pipelines");

        var endpoint = KubeConfig.Resolve(null, null,
            new Dictionary<string, string> { ["HOME"] = _temp.Path, ["KUBERNETES_SERVICE_HOST"] = "172.16.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" },
            _temp.Combine("sa"));

        Assert.Equal(new Uri("https://172.16.0.1:443"), endpoint.Server);
        Assert.Equal("tekton-pipelines", endpoint.Namespace);
        Assert.Equal(_temp.Combine("sa", "token"), endpoint.TokenFile);
    }

    [Fact]
    public async Task An_exec_credential_plugin_supplies_the_bearer_token()
    {
        var plugin = Write("plugin.sh", """
            #!/bin/sh
            case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) exit 3 ;; esac
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin-'"$REGION"'"}}'
            """);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/example.dev/v1/namespaces/default/things/one", () => Results.Text("""{"kind":"Thing"}""", "application/json")));
        var endpoint = new KubeEndpoint
        {
            Server = server.Url,
            Exec = new ExecCredentialPlugin(plugin, [], new Dictionary<string, string> { ["REGION"] = "hz" }, "client.authentication.k8s.io/v1"),
            Source = "test",
        };
        using var client = new KubernetesClient(endpoint);

        var thing = await client.GetAsync(new KubeResource("example.dev", "v1", "things"), "default", "one", CancellationToken.None);

        Assert.Equal("Thing", thing!["kind"]!.GetValue<string>());
        Assert.Equal("Bearer from-plugin-hz", server.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task A_forbidden_answer_says_the_identity_lacks_rbac_rights()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/x/v1/namespaces/n/things/t", () => Results.Text(
                new JsonObject { ["kind"] = "Status", ["message"] = "things.x \"t\" is forbidden" }.ToJsonString(), "application/json", statusCode: 403)));
        using var client = new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "context ci in /kube" });

        var error = await Assert.ThrowsAsync<PipelineException>(() => client.GetAsync(new KubeResource("x", "v1", "things"), "n", "t", CancellationToken.None));

        Assert.Equal("Kubernetes API 403 for /apis/x/v1/namespaces/n/things/t: things.x \"t\" is forbidden. The identity of context ci in /kube lacks the RBAC rights for this.", error.Message);
    }

    private string Plugin(string script)
    {
        var plugin = Write($"plugin-{Guid.NewGuid():N}.sh", "#!/bin/sh\n" + script);
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return plugin;
    }

    private static Task<FakeServer> ThingServer() => FakeServer.StartAsync(app =>
        app.MapGet("/apis/example.dev/v1/namespaces/default/things/one", () => Results.Text("""{"kind":"Thing"}""", "application/json")));

    [Fact]
    public async Task An_exec_plugin_gets_its_arguments_as_given_and_runs_once_for_many_calls()
    {
        var runs = _temp.Combine("runs");
        var plugin = Plugin($$$"""
            echo run >> '{{{runs}}}'
            [ "$1" = "get token" ] && [ "$2" = "--region=cn hz" ] || exit 4
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t1","expirationTimestamp":"2999-01-01T00:00:00Z"}}'
            """);
        await using var server = await ThingServer();
        using var client = new KubernetesClient(new KubeEndpoint
        {
            Server = server.Url,
            Exec = new ExecCredentialPlugin(plugin, ["get token", "--region=cn hz"], new Dictionary<string, string>(), "client.authentication.k8s.io/v1"),
            Source = "test",
        });

        await client.GetAsync(new KubeResource("example.dev", "v1", "things"), "default", "one", CancellationToken.None);
        await client.GetAsync(new KubeResource("example.dev", "v1", "things"), "default", "one", CancellationToken.None);

        Assert.Equal(["run"], File.ReadAllLines(runs));
        Assert.All(server.Requests, r => Assert.Equal("Bearer t1", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task A_failing_exec_plugin_names_itself_its_exit_code_and_its_error_and_nothing_is_sent()
    {
        var plugin = Plugin("echo 'error: not logged in, run ack-ram-tool login' >&2; exit 2\n");
        await using var server = await ThingServer();
        using var client = new KubernetesClient(new KubeEndpoint
        {
            Server = server.Url,
            Exec = new ExecCredentialPlugin(plugin, [], new Dictionary<string, string>(), "client.authentication.k8s.io/v1"),
            Source = "test",
        });

        var error = await Assert.ThrowsAnyAsync<PipelineException>(() =>
            client.GetAsync(new KubeResource("example.dev", "v1", "things"), "default", "one", CancellationToken.None));

        Assert.Equal($"The exec credential plugin `{plugin}` exited with code 2: error: not logged in, run ack-ram-tool login", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_users_tokenFile_is_read_from_the_kubeconfig_and_sent_as_the_bearer_token()
    {
        await using var server = await ThingServer();
        Write("token", "from-file\n");
        var config = Write("config", $$"""
            apiVersion: v1
            kind: Config
            current-context: ci
            clusters:
            - name: c
              cluster: {server: "{{server.Url}}"}
            contexts:
            - name: ci
              context: {cluster: c, user: bot}
            users:
            - name: bot
              user:
                tokenFile: token
            """);
        var endpoint = KubeConfig.Resolve(config, null, new Dictionary<string, string>());
        using var client = new KubernetesClient(endpoint);

        await client.GetAsync(new KubeResource("example.dev", "v1", "things"), "default", "one", CancellationToken.None);

        Assert.Equal(_temp.Combine("token"), endpoint.TokenFile);
        Assert.Equal("Bearer from-file", server.Requests.Single().Headers["Authorization"]);
    }

    [Fact]
    public async Task A_built_in_object_such_as_a_deployment_is_read_as_json_and_a_missing_one_is_null()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/apps/v1/namespaces/prod/deployments/shortlink", () => Results.Text(
                """{"kind":"Deployment","status":{"readyReplicas":2,"updatedReplicas":2}}""", "application/json")));
        using var client = new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" });

        var deployment = await client.GetAsync(KubeResource.Deployments, "prod", "shortlink", CancellationToken.None);
        var missing = await client.GetAsync(KubeResource.Deployments, "prod", "other", CancellationToken.None);

        Assert.Equal(2, deployment!["status"]!["readyReplicas"]!.GetValue<int>());
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_watch_yields_each_change_of_the_named_object()
    {
        await using var server = await FakeServer.StartAsync(app =>
            app.MapGet("/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations", async (HttpContext context) =>
            {
                context.Response.ContentType = "application/json";
                foreach (var (type, generation) in new[] { ("ADDED", 1), ("MODIFIED", 2) })
                {
                    await context.Response.WriteAsync(new JsonObject
                    {
                        ["type"] = type,
                        ["object"] = new JsonObject { ["kind"] = "Kustomization", ["metadata"] = new JsonObject { ["name"] = "apps", ["generation"] = generation } },
                    }.ToJsonString() + "\n");
                    await context.Response.Body.FlushAsync();
                }
            }));
        using var client = new KubernetesClient(new KubeEndpoint { Server = server.Url, Token = "t", Source = "test" });

        var events = new List<KubeWatchEvent>();
        await foreach (var change in client.WatchAsync(KubeResource.FluxKustomizations, "flux-system", "apps", CancellationToken.None))
            events.Add(change);

        Assert.Equal(["ADDED", "MODIFIED"], events.Select(e => e.Type));
        Assert.Equal(2, events[1].Object["metadata"]!["generation"]!.GetValue<int>());
        var query = server.Requests.Single().PathAndQuery;
        Assert.Contains("watch=true", query);
        Assert.Contains("fieldSelector=metadata.name%3Dapps", query);
    }
}
