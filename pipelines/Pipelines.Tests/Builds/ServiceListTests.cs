using Pipelines.Analysis;
using Pipelines.Components;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Builds;

/// <summary>A build's services are checked before anything runs, and --service picks among them.</summary>
public sealed class ServiceListTests : IDisposable
{
    private readonly TempDirectory _root = new("services");

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData("orders", true)]
    [InlineData("link-check2", true)]
    [InlineData("Orders", false)]
    [InlineData("2fast", false)]
    [InlineData("ends-", false)]
    [InlineData("under_score", false)]
    [InlineData("", false)]
    public void A_service_name_must_be_a_lower_case_DNS_label_starting_with_a_letter(string name, bool valid) =>
        Assert.Equal(valid, ServiceList.IsValidName(name));

    [Fact]
    public void Every_problem_is_named_at_once_with_its_fix()
    {
        Directory.CreateDirectory(_root.Combine("src", "api"));
        File.WriteAllText(_root.Combine("src", "api", "Dockerfile"), "FROM scratch\n");
        Service[] services = [new("api"), new("api"), new("My_Worker"), new("worker") { Project = "src/worker/Worker.csproj" }];

        var problems = ServiceList.Problems(services, _root.Path, services);

        Assert.Contains(problems, p => p.Contains("Service `api` is declared 2 times"));
        Assert.Contains(problems, p => p.Contains("Service name `My_Worker` is not a lower-case DNS label") && p.Contains("`my-worker`"));
        Assert.Contains(problems, p => p.Contains("Service `worker`: its Dockerfile `src/worker/Dockerfile` does not exist"));
        Assert.Contains(problems, p => p.Contains("Service `worker`: its .NET project `src/worker/Worker.csproj` does not exist"));
        Assert.DoesNotContain(problems, p => p.Contains("Service `api`:"));
    }

    [Fact]
    public void Files_are_checked_only_for_the_services_a_run_builds()
    {
        Service[] services = [new("api")];

        Assert.Empty(ServiceList.Problems(services, _root.Path, []));
        Assert.Single(ServiceList.Problems([], _root.Path, []));
    }

    [Fact]
    public void An_unknown_service_name_is_refused_with_the_declared_ones()
    {
        Service[] services = [new("api"), new("worker")];

        Assert.Equal(["worker"], ServiceList.Select(services, ["worker"]).Select(s => s.Name));
        Assert.Equal(2, ServiceList.Select(services, []).Count);
        var error = Assert.Throws<PipelineException>(() => ServiceList.Select(services, ["web"]));
        Assert.Equal("--service: `web` is not a service of this build; choose from api, worker.", error.Message);
    }

    [Fact]
    public void A_service_defaults_its_context_Dockerfile_and_manifests_image_from_its_name()
    {
        var service = new Service("orders");

        Assert.Equal("src/orders", service.Context);
        Assert.Equal("src/orders/Dockerfile", service.Dockerfile);
        Assert.Equal("samples/x/Dockerfile", (service with { Context = "samples/x" }).Dockerfile);
        Assert.Equal("orders", service.ManifestsImageName);
        Assert.Null(service.Project);
        Assert.Equal("other/Dockerfile", service.WithContext("other").Dockerfile);
        Assert.Equal("docker/Api.Dockerfile", (service with { Dockerfile = "docker/Api.Dockerfile" }).WithContext("other").Dockerfile);
    }

    [Fact]
    public void Scoped_fingerprints_keep_each_services_values_apart_and_share_the_cache_bounds()
    {
        var inputs = new Fingerprint(_root.Path);
        inputs.For("api").Add("image-name", "api");
        inputs.For("worker").Add("image-name", "worker").NotCacheable("--no-cache");

        Assert.Equal(["api/image-name", "worker/image-name"], inputs.Entries.Keys);
        Assert.Equal("--no-cache", inputs.NotCacheableReason);
    }

    [Fact]
    public void An_unchanged_service_is_known_by_its_inputs_without_the_commit_and_never_when_they_may_not_be_reused()
    {
        Fingerprint Inputs(string revision, string dockerfile) =>
            new Fingerprint(_root.Path).Add("image-name", "api").Add("dockerfile", dockerfile).Add("tags", new[] { revision }).Add("revision", revision);

        Assert.Equal(Pipelines.Containers.UnchangedImages.KeyOf(Inputs("abc", "FROM scratch")), Pipelines.Containers.UnchangedImages.KeyOf(Inputs("def", "FROM scratch")));
        Assert.NotEqual(Pipelines.Containers.UnchangedImages.KeyOf(Inputs("abc", "FROM scratch")), Pipelines.Containers.UnchangedImages.KeyOf(Inputs("abc", "FROM busybox")));
        Assert.Null(Pipelines.Containers.UnchangedImages.KeyOf(Inputs("abc", "FROM scratch").NotCacheable("--no-cache")));
    }

    [Theory]
    [InlineData(new[] { AnalysisVerdict.Pass, AnalysisVerdict.Pass }, AnalysisVerdict.Pass)]
    [InlineData(new[] { AnalysisVerdict.Pass, AnalysisVerdict.Breach }, AnalysisVerdict.Breach)]
    [InlineData(new[] { AnalysisVerdict.Inconclusive, AnalysisVerdict.Breach }, AnalysisVerdict.Breach)]
    [InlineData(new[] { AnalysisVerdict.Pass, AnalysisVerdict.Inconclusive }, AnalysisVerdict.Inconclusive)]
    [InlineData(new AnalysisVerdict[0], AnalysisVerdict.Inconclusive)]
    [InlineData(new[] { AnalysisVerdict.Pass, AnalysisVerdict.Error }, AnalysisVerdict.Error)]
    [InlineData(new[] { AnalysisVerdict.Inconclusive, AnalysisVerdict.Error }, AnalysisVerdict.Error)]
    [InlineData(new[] { AnalysisVerdict.Error, AnalysisVerdict.Breach }, AnalysisVerdict.Breach)]
    internal void Several_services_pass_only_together_and_any_breach_is_a_breach(AnalysisVerdict[] verdicts, AnalysisVerdict combined) =>
        Assert.Equal(combined, CombinedReleaseReport.Combine(verdicts));

    [Fact]
    public async Task A_breach_of_one_service_rolls_the_deploy_back_once()
    {
        var rollbacks = 0;
        var pass = new AnalysisReport(AnalysisVerdict.Pass, "kept the objectives", [], "", TimeSpan.FromSeconds(30));
        var breach = new AnalysisReport(AnalysisVerdict.Breach, "error rate 0.2 > 0.05", [], "", TimeSpan.FromSeconds(40));

        var report = await CombinedReleaseReport.ActAsync("dev", ["api", "worker"], [pass, breach],
            new ReleaseActions { Rollback = _ => { rollbacks++; return Task.FromResult(new RollbackOutcome(true, "reverted abc")); } }, CancellationToken.None);

        Assert.Equal(1, rollbacks);
        Assert.Equal(AnalysisVerdict.Breach, report.Verdict);
        Assert.Equal("worker: error rate 0.2 > 0.05", report.Message);
        Assert.StartsWith("Rolled back dev: reverted abc", report.Action);
        Assert.Equal(TimeSpan.FromSeconds(40), report.Duration);
    }
}
