using Pipelines.Processes;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.TektonLocal;

/// <summary>
/// A tiny local step image, never pulled: Debian's static busybox (<c>apt-get install busybox-static</c>) in an image
/// FROM scratch, with its applets linked under /bin, tagged <see cref="Tag"/>.
/// </summary>
public sealed class BusyboxImage : IAsyncLifetime
{
    public const string Tag = "pipelines.local/busybox:test";

    public async Task InitializeAsync()
    {
        if (!File.Exists("/bin/busybox"))
            throw new InvalidOperationException("These tests need Debian's busybox-static (/bin/busybox): apt-get install busybox-static.");
        using var context = new TempDirectory("busybox-image");
        File.Copy("/bin/busybox", context.Combine("busybox"));
        File.WriteAllText(context.Combine("Dockerfile"),
            "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\nRUN [\"/bin/busybox\", \"mkdir\", \"-p\", \"/tmp\", \"/workspace\"]\nENV PATH=/bin\n");
        var result = await new Command("docker").WithArguments("build", "-q", "-t", Tag, context.Path).WithOutput(OutputMode.Quiet).ExecuteAsync();
        if (!result.Succeeded) throw new InvalidOperationException($"docker build of {Tag} failed: {result.StandardError}");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
