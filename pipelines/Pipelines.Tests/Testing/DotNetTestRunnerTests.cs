using Pipelines.Testing;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Testing;

public class DotNetTestRunnerTests
{
    [Fact]
    public void Counts_come_from_the_test_results_in_the_trx_file()
    {
        var (passed, failed, skipped) = DotNetTestRunner.Count(TestPaths.TestData("testing", "results.trx"));

        Assert.Equal((3, 1, 1), (passed, failed, skipped));
    }

    [Theory]
    [InlineData(12, 0, 0, "12 passed, 0 failed")]
    [InlineData(12, 1, 2, "12 passed, 1 failed, 2 skipped")]
    public void The_counts_line_mentions_skipped_tests_only_when_there_are_some(int passed, int failed, int skipped, string line)
    {
        Assert.Equal(line, new TestRunResult(passed, failed, skipped, [], 0).CountsLine);
    }
}
