using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipelines;

/// <summary>
/// Temporary folders a run owns: named <c>&lt;prefix&gt;&lt;pid&gt;-&lt;random&gt;</c> in the temp directory, removed by
/// their owner on every exit path it lives through; one that a killed run (SIGKILL, OOM) left is removed by a later
/// run once its process is gone (or, should the pid have been reused, after a day). Only names with the toolkit's
/// prefix and shape are touched.
/// </summary>
internal static partial class TemporaryFolders
{
    private static readonly TimeSpan MaximumAge = TimeSpan.FromDays(1);

    /// <summary>Creates a new folder <c>&lt;prefix&gt;&lt;pid&gt;-&lt;12 hex&gt;</c> path in the temp directory (not yet on disk when <paramref name="create"/> is false).</summary>
    public static string New(string prefix, bool create = true)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..12]}");
        if (create) Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes folders with <paramref name="prefix"/> whose owning process is gone; returns how many.</summary>
    public static int RemoveStale(string prefix)
    {
        var removed = 0;
        string[] candidates;
        try { candidates = Directory.GetDirectories(Path.GetTempPath(), prefix + "*"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        foreach (var directory in candidates)
        {
            var match = Shape().Match(Path.GetFileName(directory)[prefix.Length..]);
            if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId) continue;
            var stale = !IsAlive(pid) || DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > MaximumAge;
            if (!stale) continue;
            try
            {
                Directory.Delete(directory, recursive: true);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>Deletes <paramref name="directory"/> and everything in it, quietly when it is already gone or busy.</summary>
    public static void Delete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    [GeneratedRegex("^([0-9]+)-[0-9a-f]{12}$")]
    private static partial Regex Shape();
}
