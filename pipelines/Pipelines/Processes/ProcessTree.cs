using System.Runtime.InteropServices;

namespace Pipelines.Processes;

/// <summary>
/// A process and its descendants, read from <c>/proc</c> (Linux), and the way we stop them. CliWrap's own
/// graceful cancellation sends SIGINT to the direct child only and its forceful one kills at once; a tool
/// that spawned helpers (trivy, dotnet, npm) should get SIGTERM across its tree first so it can clean up.
/// </summary>
internal static class ProcessTree
{
    private const int SignalTerm = 15;
    private const int SignalKill = 9;

    /// <summary>
    /// SIGTERM to <paramref name="pid"/> and its descendants; when <paramref name="exited"/> has not completed
    /// after <paramref name="grace"/>, <paramref name="forceful"/> is cancelled (CliWrap kills the process tree)
    /// and whatever is left of the tree taken before signalling gets SIGKILL: children that outlive their
    /// parent can no longer be found through it.
    /// </summary>
    public static async Task StopAsync(int pid, Task exited, TimeSpan grace, CancellationTokenSource forceful)
    {
        if (!exited.IsCompleted)
        {
            // Each member with its start time: after the grace period a PID may belong to another process.
            var tree = (OperatingSystem.IsLinux() ? Of(pid) : [pid]).Select(p => (Pid: p, Started: StartTime(p))).ToList();
            if (!OperatingSystem.IsWindows())
                foreach (var member in tree) _ = SendSignal(member.Pid, SignalTerm);
            else
                forceful.Cancel();
            try
            {
                await exited.WaitAsync(grace);
            }
            catch (TimeoutException)
            {
                forceful.Cancel();
            }
            catch (OperationCanceledException) { }
            if (!OperatingSystem.IsWindows())
                foreach (var member in tree.Where(m => IsSameProcess(m.Pid, m.Started))) _ = SendSignal(member.Pid, SignalKill);
        }
        try { await exited; }
        catch (OperationCanceledException) { }
    }

    public static IReadOnlyList<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            if (ParentOf(pid) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(pid);
        }

        var tree = new List<int>();
        var pending = new Stack<int>([root]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            tree.Add(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? []) pending.Push(child);
        }
        return tree;
    }

    public static bool IsAlive(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    /// <summary>
    /// True when <paramref name="pid"/> is alive and is still the process that had <paramref name="started"/> as its start
    /// time: a member that exited during the grace period may have its PID reused by an unrelated process, which must
    /// never get SIGKILL. Where the start time cannot be read (not Linux), liveness alone decides.
    /// </summary>
    public static bool IsSameProcess(int pid, ulong? started) =>
        IsAlive(pid) && (started is null || StartTime(pid) == started);

    /// <summary>When the process started, in clock ticks since boot: /proc/&lt;pid&gt;/stat field 22; null when unreadable.</summary>
    public static ulong? StartTime(int pid) =>
        // Field 22 counts from the pid (1) and the command (2); Stat's fields begin at field 3.
        Stat(pid) is { Length: > 19 } fields && ulong.TryParse(fields[19], out var ticks) ? ticks : null;

    private static int? ParentOf(int pid) =>
        Stat(pid) is { } fields && fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : null;

    private static char? State(int pid) => Stat(pid) is { Length: > 0 } fields && fields[0].Length > 0 ? fields[0][0] : null;

    /// <summary>The fields after the command name, which is in parentheses and may hold spaces.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return close < 0 ? null : text[(close + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
