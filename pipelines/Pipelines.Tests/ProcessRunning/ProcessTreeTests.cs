using System.Diagnostics;
using Pipelines.Processes;

namespace Pipelines.Tests.ProcessRunning;

/// <summary>
/// ProcessTree kills what is left of a tree after the grace period only when each PID still belongs to the process it
/// recorded: a member that exited in between may have its PID reused by an unrelated process.
/// </summary>
public sealed class ProcessTreeTests
{
    [Fact]
    public void A_pid_is_the_same_process_only_while_its_start_time_is_the_recorded_one()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var started = ProcessTree.StartTime(sleeper.Id);

            Assert.NotNull(started);
            Assert.True(ProcessTree.IsSameProcess(sleeper.Id, started));
            // The same PID with another start time is what a reused PID looks like: never the process recorded.
            Assert.False(ProcessTree.IsSameProcess(sleeper.Id, started + 1));
            Assert.False(ProcessTree.IsSameProcess(sleeper.Id, started - 1));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
        Assert.False(ProcessTree.IsSameProcess(sleeper.Id, ProcessTree.StartTime(sleeper.Id)), "an exited process is never the same one");
    }
}
