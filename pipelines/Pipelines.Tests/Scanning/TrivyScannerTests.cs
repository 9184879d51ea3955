using Pipelines.Logging;
using Pipelines.Scanning;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Scanning;

public sealed class TrivyScannerTests : IDisposable
{
    public const string Image = "127.0.0.1:5000/shortlink@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TempDirectory _work = new("scanning-test");
    private readonly FakeTrivy _trivy = new();
    private readonly MemoryLog _log = new();

    public void Dispose()
    {
        _trivy.Dispose();
        _work.Dispose();
    }

    private TrivyOptions Options() => new(Image, _work.Combine("artifacts", "scan"), _work.Combine(".gitops", "cache", "trivy"))
    {
        TrivyPath = _trivy.Executable,
        WorkingDirectory = _work.Path,
    };

    private Task<ScanResult> Scan(TrivyOptions options) => new TrivyScanner(_log).ScanAsync(options, CancellationToken.None);

    [Fact]
    public async Task A_clean_report_passes_and_writes_the_report_SARIF_and_summary()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");

        var result = await Scan(Options());

        Assert.True(result.Passed);
        Assert.Equal("0.74.0", result.Trivy.Version);
        Assert.Equal("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", result.ImageDigest);
        Assert.True(File.Exists(result.ReportPath));
        Assert.True(File.Exists(result.SarifPath));
        Assert.Contains("Scan passed", File.ReadAllText(result.SummaryPath));
        Assert.Null(result.SbomPath);
    }

    [Fact]
    public async Task Trivy_is_asked_for_a_json_report_with_the_default_flags()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");
        var options = Options();

        await Scan(options);

        Assert.Equal(["version", "--format", "json"], _trivy.Arguments("version"));
        var arguments = _trivy.Arguments("image");
        Assert.Equal("image", arguments[0]);
        Assert.Equal(Image, arguments[^1]);
        AssertPair(arguments, "--format", "json");
        AssertPair(arguments, "--output", options.ReportPath);
        AssertPair(arguments, "--scanners", "vuln,secret");
        AssertPair(arguments, "--timeout", "300s");
        AssertPair(arguments, "--cache-dir", options.CacheDirectory);
        Assert.Contains("--list-all-pkgs=false", arguments);
        Assert.DoesNotContain("--severity", arguments);
        Assert.DoesNotContain("--exit-code", arguments);
    }

    [Fact]
    public async Task Every_option_reaches_Trivys_command_line()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");
        File.WriteAllText(_work.Combine(".trivyignore"), "CVE-2019-1549\n");
        var options = Options() with
        {
            Severities = [Severity.High, Severity.Critical],
            IgnoreUnfixed = true,
            Scanners = ["vuln"],
            Timeout = TimeSpan.FromMinutes(10),
            DbRepositories = ["registry.cn-hangzhou.aliyuncs.com/mirror/trivy-db:2", "ghcr.io/aquasecurity/trivy-db:2"],
            JavaDbRepositories = ["registry.cn-hangzhou.aliyuncs.com/mirror/trivy-java-db:1"],
            SkipDbUpdate = true,
            Insecure = true,
            Platform = "linux/arm64",
            IgnoreFile = _work.Combine(".trivyignore"),
        };

        await Scan(options);

        var arguments = _trivy.Arguments("image");
        AssertPair(arguments, "--severity", "CRITICAL,HIGH");
        AssertPair(arguments, "--scanners", "vuln");
        AssertPair(arguments, "--timeout", "600s");
        AssertPair(arguments, "--platform", "linux/arm64");
        AssertPair(arguments, "--ignorefile", options.IgnoreFile);
        Assert.Equal(["registry.cn-hangzhou.aliyuncs.com/mirror/trivy-db:2", "ghcr.io/aquasecurity/trivy-db:2"],
            arguments.Select((a, i) => (a, i)).Where(p => p.a == "--db-repository").Select(p => arguments[p.i + 1]));
        AssertPair(arguments, "--java-db-repository", "registry.cn-hangzhou.aliyuncs.com/mirror/trivy-java-db:1");
        Assert.Contains("--ignore-unfixed", arguments);
        Assert.Contains("--skip-db-update", arguments);
        Assert.Contains("--insecure", arguments);
    }

    [Fact]
    public async Task Registry_credentials_reach_Trivy_only_through_its_environment()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");
        var options = Options() with { RegistryUsername = "ci-bot", RegistryPassword = "s3cr3t-registry-password" };

        await Scan(options);

        Assert.Contains("TRIVY_USERNAME=ci-bot", _trivy.Environment("image"));
        Assert.Contains("TRIVY_PASSWORD=s3cr3t-registry-password", _trivy.Environment("image"));
        Assert.DoesNotContain(_trivy.Arguments("image"), a => a.Contains("s3cr3t", StringComparison.Ordinal) || a.Contains("ci-bot", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr3t", _trivy.Environment("version"));
        Assert.DoesNotContain("s3cr3t", _log.Text);
    }

    [Fact]
    public async Task Findings_at_the_threshold_fail_the_gate_with_counts_and_top_findings()
    {
        _trivy.WithReport("alpine-39.json.golden");

        var result = await Scan(Options());

        Assert.False(result.Passed);
        Assert.Equal(new SeverityCounts(2, 0, 4, 0, 0), result.Decision.Counts);
        Assert.Contains("CRITICAL 2, HIGH 0, MEDIUM 4", result.FailureMessage);
        Assert.Contains("CVE-2019-14697  musl  1.1.20-r4 → 1.1.20-r5  (CRITICAL)", result.FailureMessage);
        Assert.Contains("Scan failed", File.ReadAllText(result.SummaryPath));
        Assert.Contains("CVE-2019-14697", File.ReadAllText(result.SummaryPath));
    }

    [Fact]
    public async Task A_trivyignore_entry_is_applied_by_the_gate_too()
    {
        _trivy.WithReport("alpine-39.json.golden");
        File.WriteAllText(_work.Combine(".trivyignore"), "CVE-2019-14697\n");

        var result = await Scan(Options() with { IgnoreFile = _work.Combine(".trivyignore") });

        Assert.True(result.Passed);
        Assert.Equal(2, result.Decision.Ignored.Count);
    }

    [Fact]
    public async Task An_expired_policy_entry_is_logged_as_a_warning()
    {
        _trivy.WithReport("alpine-39.json.golden");
        var policy = new ScanPolicy([new ScanPolicyEntry("CVE-2019-14697", null, "waiting for 3.9.5", new DateOnly(2020, 1, 1), "policy.yaml:2")]);

        var result = await Scan(Options() with { Policy = policy });

        Assert.False(result.Passed);
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("CVE-2019-14697") && l.Message.Contains("expired"));
    }

    [Fact]
    public async Task A_non_zero_exit_with_a_valid_looking_report_is_a_failed_scan_not_a_pass()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden").WithExitCode(1);

        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.Contains("Trivy exited with code 1", error.Message);
        Assert.Contains("not considered scanned", error.Message);
        Assert.False(File.Exists(Options().ReportPath), "a failed run left trivy.json behind");
        Assert.True(File.Exists(Options().ReportPath + ".incomplete"));
    }

    [Fact]
    public async Task An_unparsable_report_leaves_no_trivy_json_behind()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");
        Directory.CreateDirectory(Path.GetDirectoryName(Options().ReportPath)!);
        var fake = Path.Combine(Path.GetDirectoryName(_trivy.Executable)!, "report.json");
        File.WriteAllText(fake, "{\"SchemaVersion\": 2, \"Results\": [");

        await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.False(File.Exists(Options().ReportPath), "an unparsable report stayed as trivy.json");
        Assert.False(File.Exists(Options().SarifPath));
        Assert.False(File.Exists(Options().SummaryPath));
    }

    [Fact]
    public async Task A_report_that_was_never_written_is_a_failed_scan()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.Contains("wrote no report", error.Message);
    }

    [Fact]
    public async Task A_hanging_Trivy_is_stopped_at_the_timeout_and_the_scan_fails_clearly()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden").Hanging();

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            Scan(Options() with { Timeout = TimeSpan.FromSeconds(1), TimeoutMargin = TimeSpan.FromSeconds(1) }));

        Assert.Contains("did not finish within 1s", error.Message);
        Assert.Contains("--scan-timeout", error.Message);
    }

    [Theory]
    [InlineData("0.69.4")]
    [InlineData("v0.69.5")]
    [InlineData("0.69.6")]
    public async Task A_compromised_release_is_refused_before_it_scans(string version)
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden").WithVersion(version);

        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options()));

        Assert.Contains("supply-chain compromise", error.Message);
        Assert.Contains("0.69.4–0.69.6", error.Message);
        Assert.False(_trivy.Ran("image"));
    }

    [Theory]
    [InlineData("0.69.3")]
    [InlineData("0.69.7")]
    [InlineData("dev")]
    public async Task Releases_next_to_the_compromised_ones_are_accepted(string version)
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden").WithVersion(version);

        var result = await Scan(Options());

        Assert.Equal(version, result.Trivy.Version);
    }

    [Fact]
    public async Task An_SBOM_is_converted_from_the_scan_with_every_package_listed()
    {
        _trivy.WithReport("sl-micro-rancher5.4.json.golden");

        var result = await Scan(Options() with { Sbom = true });

        Assert.Contains("--list-all-pkgs=true", _trivy.Arguments("image"));
        Assert.Equal(["convert", "--format", "cyclonedx", "--output", result.SbomPath!, result.ReportPath], _trivy.Arguments("convert"));
        Assert.Contains("CycloneDX", File.ReadAllText(result.SbomPath!));
    }

    [Fact]
    public async Task A_trivy_path_that_does_not_exist_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options() with { TrivyPath = "/opt/nowhere/trivy" }));

        Assert.Contains("--trivy-path /opt/nowhere/trivy does not exist", error.Message);
    }

    [Fact]
    public async Task No_trivy_and_no_Docker_fallback_fails_with_how_to_install_Trivy()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new TrivyScanner(_log).ScanAsync(Options() with { TrivyPath = "trivy-not-installed-anywhere" }, CancellationToken.None));

        Assert.Contains("Trivy is not installed", error.Message);
        Assert.Contains("--trivy-path", error.Message);
        Assert.Contains("https://trivy.dev", error.Message);
    }

    [Fact]
    public async Task No_trivy_and_an_unreachable_Docker_engine_fails_with_how_to_install_Trivy()
    {
        var docker = new FakeContainerRunner(available: false);

        var error = await Assert.ThrowsAsync<PipelineException>(() =>
            new TrivyScanner(_log, docker).ScanAsync(Options() with { TrivyPath = "trivy-not-installed-anywhere" }, CancellationToken.None));

        Assert.Contains("no Docker engine answers", error.Message);
        Assert.Contains("--trivy-path", error.Message);
        Assert.Empty(docker.Runs);
    }

    [Fact]
    public async Task Without_a_trivy_binary_the_scan_runs_in_Trivys_image_with_the_output_copied_and_the_cache_in_a_volume()
    {
        var docker = new FakeContainerRunner(available: true) { Report = TrivyFixtures.PathOf("alpine-310.json.golden") };
        var options = Options() with { TrivyPath = "trivy-not-installed-anywhere", RegistryUsername = "bot", RegistryPassword = "pw-in-env-only" };

        var result = await new TrivyScanner(_log, docker).ScanAsync(options, CancellationToken.None);

        Assert.True(result.RanInContainer);
        Assert.Equal(new SeverityCounts(0, 0, 4, 0, 0), result.Decision.Counts);
        var scan = docker.Runs.Single(r => r.Arguments[0] == "image");
        Assert.Equal(TrivyContainerRun.DefaultImage, scan.Image);
        AssertPair(scan.Arguments, "--output", "/trivy/output/trivy.json");
        AssertPair(scan.Arguments, "--cache-dir", TrivyContainerRun.CachePath);
        // The output folder travels by copy (in and back out), the cache is the daemon's volume: no host path reaches a bind.
        Assert.Equal([new TrivyContainerCopy(Path.GetFullPath(options.OutputDirectory), "/trivy/output", CopyBack: true)], scan.Copies);
        var binds = DockerTrivyRunner.ContainerSpecFor(scan).Binds;
        Assert.Equal([$"{DockerTrivyRunner.CacheVolume}:{TrivyContainerRun.CachePath}"], binds);
        Assert.DoesNotContain(binds, b => b.Contains(Path.GetFullPath(options.CacheDirectory), StringComparison.Ordinal));
        Assert.Equal("pw-in-env-only", scan.Environment["TRIVY_PASSWORD"]);
        Assert.DoesNotContain(scan.Arguments, a => a.Contains("pw-in-env-only", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("through Docker"));
    }

    [Fact]
    public async Task An_image_without_a_digest_is_refused()
    {
        var error = await Assert.ThrowsAsync<PipelineException>(() => Scan(Options() with { Image = "127.0.0.1:5000/shortlink:latest" }));

        Assert.Contains("has no digest", error.Message);
        Assert.False(_trivy.Ran("version"));
    }

    private static void AssertPair(IReadOnlyList<string> arguments, string flag, string? value)
    {
        var index = arguments.ToList().IndexOf(flag);
        Assert.True(index >= 0, $"{flag} is missing from: {string.Join(' ', arguments)}");
        Assert.Equal(value, arguments[index + 1]);
    }

    /// <summary>Stands in for the Docker-backed runner: answers version, "writes" the report into the copied-back output.</summary>
    private sealed class FakeContainerRunner(bool available) : ITrivyContainerRunner
    {
        public string? Report { get; init; }
        public List<TrivyContainerRun> Runs { get; } = [];

        public Task<bool> IsAvailableAsync(CancellationToken cancellationToken) => Task.FromResult(available);

        public Task<TrivyContainerResult> RunAsync(TrivyContainerRun run, ILog log, CancellationToken cancellationToken)
        {
            Runs.Add(run);
            if (run.Arguments[0] == "version") return Task.FromResult(new TrivyContainerResult(0, """{"Version":"0.74.0"}""", ""));
            var output = run.Arguments[run.Arguments.ToList().IndexOf("--output") + 1];
            var copy = run.Copies.Single(c => c.CopyBack && output.StartsWith(c.ContainerPath + "/", StringComparison.Ordinal));
            // Trivy names the image it was given (its last argument) as ArtifactName; the upstream goldens name their tarballs.
            var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Report!))!;
            report["ArtifactName"] = run.Arguments[^1];
            File.WriteAllText(Path.Combine(copy.HostPath, output[(copy.ContainerPath.Length + 1)..]), report.ToJsonString());
            return Task.FromResult(new TrivyContainerResult(0, "", ""));
        }
    }
}
