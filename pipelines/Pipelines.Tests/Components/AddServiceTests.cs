using Pipelines.Components;
using Pipelines.Processes;
using Pipelines.Scaffolding;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Components;

/// <summary>
/// AddService on a repository shaped as the template makes it (its files, with the service <c>orders</c>): what it
/// writes for a service and for a worker, and that a refusal writes nothing.
/// </summary>
public sealed class AddServiceTests : IDisposable
{
    private readonly BuildHarness _harness = new();
    private static readonly string[] Environments = ["dev", "staging", "prod"];

    public AddServiceTests() => CopyTemplate(_harness.Root);

    public void Dispose() => _harness.Dispose();

    private sealed class OrdersBuild : GitOpsBuild
    {
        protected override string Name => "orders";
        protected override IReadOnlyList<Service> Services => [new("orders")];
    }

    /// <summary>The template's build/, manifests/ and src/ as <c>dotnet new -n orders</c> writes them (no project, no registry).</summary>
    private static void CopyTemplate(string root)
    {
        var template = Path.Combine(TestPaths.RepositoryRoot, "templates", "gitops-pipeline");
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(template, file).Replace("example-service", "orders");
            if (!relative.StartsWith("build") && !relative.StartsWith("manifests") && !relative.StartsWith("src") && relative != "global.json") continue;
            var text = File.ReadAllText(file).Replace("example-service", "orders");
            if (relative == Path.Combine("build", "Build.cs")) text = Instantiate(text);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, relative))!);
            File.WriteAllText(Path.Combine(root, relative), text);
        }
    }

    /// <summary>The template's <c>#if (hasProject)</c>/<c>#if (hasRegistry)</c> blocks as false: the #else branches.</summary>
    private static string Instantiate(string text)
    {
        var kept = new List<string>();
        var keep = true;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("#if")) { keep = false; continue; }
            if (trimmed == "#else") { keep = true; continue; }
            if (trimmed == "#endif") { keep = true; continue; }
            if (keep) kept.Add(line);
        }
        return string.Join('\n', kept);
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(_harness.Root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);

    [Fact]
    public async Task A_service_gets_its_Services_line_its_app_its_listings_its_namespace_and_its_policy_entry_and_renders()
    {
        var writes = ServiceAdder.Plan(_harness.Root, "payments", "src/payments/Payments.csproj", 9090, Environments);
        ServiceAdder.Apply(_harness.Root, writes);

        var build = File.ReadAllText(Path.Combine(_harness.Root, "build", "Build.cs"));
        Assert.Contains("        new(\"orders\"),\n        new(\"payments\") { Project = \"src/payments/Payments.csproj\" },\n    ];", build);
        Assert.Contains("ENTRYPOINT [\"/app/Payments\"]", File.ReadAllText(Path.Combine(_harness.Root, "src", "payments", "Dockerfile")));
        Assert.Contains("  - ../../apps/orders/overlays/prod\n  - ../../apps/payments/overlays/prod\n", File.ReadAllText(Path.Combine(_harness.Root, ServiceAdder.EnvironmentFile("prod"))));
        Assert.Contains("- \"registry.example.com/example/orders*\"\n            - \"registry.example.com/example/payments*\"\n", File.ReadAllText(Path.Combine(_harness.Root, ServiceAdder.PolicyFile)));

        var dev = await RenderAsync("manifests/environments/dev");
        Assert.Contains("image: registry.example.com/example/payments:0.1.0", dev);
        Assert.Contains("containerPort: 9090", dev);
        Assert.Contains("kind: Service\nmetadata:\n  labels:\n    app.kubernetes.io/environment: dev\n    app.kubernetes.io/name: payments", dev);
        var infrastructure = await RenderAsync("manifests/infrastructure");
        Assert.Contains("  name: payments\n", infrastructure);
        Assert.Contains("  name: orders\n", infrastructure);
    }

    [Fact]
    public async Task A_worker_gets_no_Service_no_port_and_a_NetworkPolicy_without_ingress()
    {
        ServiceAdder.Apply(_harness.Root, ServiceAdder.Plan(_harness.Root, "mailer", null, null, Environments));

        Assert.False(File.Exists(Path.Combine(_harness.Root, "manifests", "apps", "mailer", "base", "service.yaml")));
        var staging = await RenderAsync("manifests/apps/mailer/overlays/staging");
        Assert.DoesNotContain("containerPort", staging);
        Assert.DoesNotContain("kind: Service\n", staging);
        Assert.DoesNotContain("ingress:", staging);
        Assert.Contains("kind: NetworkPolicy", staging);
        Assert.True(File.Exists(Path.Combine(_harness.Root, "src", "mailer", "Dockerfile")));
    }

    [Fact]
    public async Task An_existing_name_is_refused_by_the_target_and_nothing_changes()
    {
        var before = Snapshot();

        var exit = await _harness.RunAsync(new OrdersBuild(), "AddService", "--name", "orders");

        Assert.NotEqual(0, exit);
        Assert.Contains("Service `orders` exists", _harness.Text);
        Assert.Equal(before, Snapshot());
    }

    [Theory]
    [InlineData("9orders")]
    [InlineData("Payments")]
    public async Task A_name_the_build_would_reject_is_refused_with_the_builds_rule(string name)
    {
        var before = Snapshot();

        var exit = await _harness.RunAsync(new OrdersBuild(), "AddService", "--name", name);

        Assert.NotEqual(0, exit);
        Assert.Contains($"--name `{name}` is not {ServiceList.NameRule}", _harness.Text);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void A_Build_cs_whose_Services_it_cannot_read_is_refused_and_nothing_changes()
    {
        var buildFile = Path.Combine(_harness.Root, "build", "Build.cs");
        File.WriteAllText(buildFile, File.ReadAllText(buildFile).Replace("    [\n        new(\"orders\"),\n    ];", "    new[] { new Service(\"orders\") };"));
        var before = Snapshot();

        var refusal = Assert.Throws<PipelineException>(() => ServiceAdder.Plan(_harness.Root, "payments", null, 8080, Environments));

        Assert.Contains("build/Build.cs: no `Services =>` list", refusal.Message);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void An_environment_without_its_list_of_apps_is_refused_naming_the_file()
    {
        File.Delete(Path.Combine(_harness.Root, ServiceAdder.EnvironmentFile("staging")));

        var refusal = Assert.Throws<PipelineException>(() => ServiceAdder.Plan(_harness.Root, "payments", null, 8080, Environments));

        Assert.Contains("manifests/environments/staging/kustomization.yaml does not exist", refusal.Message);
        Assert.False(Directory.Exists(Path.Combine(_harness.Root, "manifests", "apps", "payments")));
    }

    private async Task<string> RenderAsync(string folder)
    {
        var render = await new Command("kubectl").WithArguments("kustomize", Path.Combine(_harness.Root, folder)).WithOutput(OutputMode.Quiet).ExecuteAsync();
        Assert.True(render.ExitCode == 0, $"{folder}: {render.StandardError}");
        return render.StandardOutput;
    }
}
