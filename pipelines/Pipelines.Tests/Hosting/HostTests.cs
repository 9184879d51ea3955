using Pipelines.Hosts;
using Pipelines.Logging;
using Pipelines.Targets;
using Pipelines.Tests.Support;
using Pipelines.Tests.Targets;

namespace Pipelines.Tests.Hosting;

public class HostTests : IDisposable
{
    private readonly TempDirectory _temp = new("hosts");
    private readonly BuildHarness _harness = new();

    public void Dispose()
    {
        _temp.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public void The_host_is_detected_from_the_environment()
    {
        Assert.IsType<GitHubActionsHost>(PipelineHost.Detect(null, TextWriter.Null, new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }));
        Assert.IsType<TektonHost>(PipelineHost.Detect(null, TextWriter.Null, new Dictionary<string, string> { ["PIPELINE_HOST"] = "tekton", ["GITHUB_ACTIONS"] = "true" }));
        Assert.IsType<TerminalHost>(PipelineHost.Detect(null, TextWriter.Null, new Dictionary<string, string>()));
        Assert.IsType<TektonHost>(PipelineHost.Detect("tekton", TextWriter.Null, new Dictionary<string, string>()));
    }

    [Fact]
    public void An_unknown_host_name_is_a_clear_error()
    {
        var error = Assert.Throws<PipelineException>(() => PipelineHost.Detect("jenkins", TextWriter.Null, new Dictionary<string, string>()));

        Assert.Contains("Valid: terminal, github, tekton", error.Message);
    }

    [Fact]
    public async Task GitHub_Actions_gets_groups_masks_outputs_summary_and_errors()
    {
        var outputFile = _temp.Combine("output.txt");
        var summaryFile = _temp.Combine("summary.md");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = outputFile,
            ["GITHUB_STEP_SUMMARY"] = summaryFile,
            ["PIPELINE_REGISTRY_PASSWORD"] = "hunter2-hunter2",
        };
        foreach (var (key, value) in environment) _harness.Environment[key] = value;

        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "Deploy", "--fail-in", "Sign", "--say", "password is hunter2-hunter2");

        Assert.Equal(BuildRunner.Failure, exit);
        var log = _harness.Output.ToString();
        Assert.StartsWith("::add-mask::hunter2-hunter2", log);
        Assert.Contains("::group::Containerize", log);
        Assert.Contains("::endgroup::", log);
        Assert.Contains("password is ***", log);
        Assert.Contains("::error title=Sign failed::Sign was told to fail.", log);
        Assert.DoesNotContain("hunter2-hunter2", log.Replace("::add-mask::hunter2-hunter2", ""));

        var outputs = File.ReadAllText(outputFile);
        Assert.Contains("IMAGE_URL=127.0.0.1:5000/app:1\n", outputs);
        Assert.Contains($"IMAGE_DIGEST=sha256:{new string('a', 64)}\n", outputs);

        var summary = File.ReadAllText(summaryFile);
        Assert.Contains("| Target | Status | Duration | Notes |", summary);
        Assert.Contains("| Sign | failed |", summary);
        Assert.Contains("| Deploy | not run |", summary);
    }

    [Fact]
    public void GitHub_Actions_writes_multi_line_outputs_with_a_delimiter()
    {
        var outputFile = _temp.Combine("output.txt");
        var host = new GitHubActionsHost(TextWriter.Null, new Dictionary<string, string> { ["GITHUB_OUTPUT"] = outputFile });

        host.PublishOutput("SCAN_SUMMARY", "line one\nline two");

        var lines = File.ReadAllLines(outputFile);
        Assert.Matches("^SCAN_SUMMARY<<(ghadelimiter_[0-9a-f]{32})$", lines[0]);
        Assert.Equal(["line one", "line two"], lines[1..3]);
        Assert.Equal(lines[0]["SCAN_SUMMARY<<".Length..], lines[3]);
    }

    [Fact]
    public void GitHub_Actions_escapes_workflow_command_data()
    {
        var output = new StringWriter();
        var host = new GitHubActionsHost(output, new Dictionary<string, string>());

        host.ReportFailure("Scan", "100% broken\nsecond line");

        Assert.Equal("::error title=Scan failed::100%25 broken%0Asecond line", output.ToString().Trim());
    }

    [Fact]
    public async Task Tekton_gets_each_output_as_a_result_file()
    {
        var results = _temp.Combine("results");
        _harness.Environment["PIPELINE_HOST"] = "tekton";
        _harness.Environment["PIPELINE_RESULTS_DIR"] = results;

        var exit = await _harness.RunAsync(new TestBuild(), "Deploy", "Containerize");

        Assert.Equal(0, exit);
        Assert.Equal("127.0.0.1:5000/app:1", File.ReadAllText(Path.Combine(results, "IMAGE_URL")));
        Assert.Equal("sha256:" + new string('a', 64), File.ReadAllText(Path.Combine(results, "IMAGE_DIGEST")));
    }

    [Fact]
    public void The_masker_hides_every_line_of_a_multi_line_secret()
    {
        var masker = new SecretMasker();
        masker.Add("-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----");

        Assert.Equal("key line: ***", masker.Apply("key line: AAAABBBBCCCC"));
    }

    [Fact]
    public void The_terminal_host_prints_plain_lines_when_redirected()
    {
        var output = new StringWriter();
        var host = new TerminalHost(output, new Dictionary<string, string>(), interactive: false);
        host.AddSecret("tok-123456");

        host.Warn("using tok-123456");
        host.Debug("hidden without --verbose");

        Assert.Equal("warning: using ***", output.ToString().Trim());
    }
}
