using Pipelines.Logging;
using Pipelines.Scanning;
using Pipelines.Tests.Support;
using Pipelines.Workspace;

namespace Pipelines.Tests.Scanning;

public sealed class ScanOutputsTests : IDisposable
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private readonly TempDirectory _work = new("scanning-outputs");
    private readonly Dictionary<string, string> _published = [];

    public void Dispose() => _work.Dispose();

    private PipelineState State() => PipelineState.Load(_work.Combine("artifacts", "pipeline-state.json"));

    private ScanOutputs Outputs(PipelineState state) => new(state, (name, value) =>
    {
        state.Set(name, value);
        _published[name] = value;
    });

    [Fact]
    public async Task A_scan_that_cannot_run_leaves_SCAN_PASSED_false_even_after_an_earlier_pass()
    {
        var state = State();
        var outputs = Outputs(state);
        outputs.Record(await PassingScan());
        Assert.Equal("true", State().Get(ScanOutputs.Passed));

        // The next run: pending first, then no trivy and no Docker.
        outputs.MarkPending(TrivyScannerTests.Image, Digest, DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<PipelineException>(() => new TrivyScanner(new MemoryLog()).ScanAsync(
            new TrivyOptions(TrivyScannerTests.Image, _work.Combine("artifacts", "scan"), _work.Combine("cache")) { TrivyPath = "trivy-not-installed-anywhere" },
            CancellationToken.None));

        var reloaded = State();
        Assert.Equal("false", reloaded.Get(ScanOutputs.Passed));
        Assert.Equal("", reloaded.Get(ScanOutputs.Critical));
        var verdict = reloaded.GetRecord<ScanVerdict>(ScanVerdict.StateKey)!;
        Assert.False(verdict.Passed);
        Assert.False(verdict.PassedFor(Digest));
        Assert.Null(verdict.TrivyVersion);
    }

    [Fact]
    public async Task A_completed_scan_publishes_counts_summary_and_a_verdict_for_its_digest()
    {
        using var trivy = new FakeTrivy().WithReport("fluentd-gems.json.golden");
        var state = State();
        var result = await new TrivyScanner(new MemoryLog()).ScanAsync(
            new TrivyOptions(TrivyScannerTests.Image, _work.Combine("artifacts", "scan"), _work.Combine("cache")) { TrivyPath = trivy.Executable },
            CancellationToken.None);

        Outputs(state).Record(result);

        Assert.Equal("false", _published[ScanOutputs.Passed]);
        Assert.Equal("1", _published[ScanOutputs.Critical]);
        Assert.Equal("1", _published[ScanOutputs.High]);
        Assert.Equal("0", _published[ScanOutputs.Medium]);
        Assert.Equal("0", _published[ScanOutputs.Low]);
        Assert.Equal("0", _published[ScanOutputs.Unknown]);
        Assert.Contains("\"passed\":false", _published[ScanOutputs.Summary]);
        Assert.Contains(Digest, _published[ScanOutputs.Summary]);
        var verdict = State().GetRecord<ScanVerdict>(ScanVerdict.StateKey)!;
        Assert.Equal(Digest, verdict.ImageDigest);
        Assert.Equal(new SeverityCounts(1, 1, 0, 0, 0), verdict.Counts);
        Assert.Equal("0.74.0", verdict.TrivyVersion);
    }

    [Fact]
    public async Task A_pass_is_a_pass_only_for_the_digest_that_was_scanned()
    {
        var state = State();
        Outputs(state).Record(await PassingScan());

        var verdict = State().GetRecord<ScanVerdict>(ScanVerdict.StateKey)!;

        Assert.True(verdict.PassedFor(Digest));
        Assert.False(verdict.PassedFor("sha256:" + new string('f', 64)));
    }

    private async Task<ScanResult> PassingScan()
    {
        using var trivy = new FakeTrivy().WithReport("sl-micro-rancher5.4.json.golden");
        return await new TrivyScanner(new MemoryLog()).ScanAsync(
            new TrivyOptions(TrivyScannerTests.Image, _work.Combine("artifacts", "scan"), _work.Combine("cache")) { TrivyPath = trivy.Executable },
            CancellationToken.None);
    }
}
