using System.Diagnostics;
using Pipelines.Logging;
using Pipelines.Registry;
using Pipelines.Tests.Support;

namespace Pipelines.Tests.Registry;

public class LocalRegistryDefaultTests
{
    [Fact]
    public async Task The_default_registry_is_started_once_and_reused_by_a_later_call()
    {
        using var root = new TempDirectory("gitops-default");
        var options = new LocalRegistryOptions { StorageDirectory = root.Combine(".gitops", "registry", "data"), Port = LocalRegistry.FindFreePort() };
        var log = new MemoryLog();
        LocalRegistryStatus? first = null;
        try
        {
            first = await LocalRegistry.EnsureRunningAsync(options, log);
            var second = await LocalRegistry.EnsureRunningAsync(options, log);

            Assert.True(first.Started);
            Assert.NotNull(first.ProcessId);
            Assert.False(second.Started);
            Assert.Equal(first.Address, second.Address);
            Assert.Contains($"Started a local registry on {first.Address}", log.Text);
            Assert.Contains($"Using the registry already running on {first.Address}", log.Text);
            Assert.True(File.Exists(first.LogPath));
        }
        finally
        {
            if (first?.ProcessId is { } pid)
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    [Fact]
    public async Task A_port_held_by_something_that_is_not_a_registry_is_reported()
    {
        using var root = new TempDirectory("gitops-default");
        await using var other = await FakeServer.StartAsync(app => { });
        var port = int.Parse(other.Address.Split(':')[1]);

        var error = await Assert.ThrowsAsync<PipelineException>(() => LocalRegistry.EnsureRunningAsync(
            new LocalRegistryOptions { StorageDirectory = root.Combine("data"), Port = port }, new MemoryLog()));

        Assert.Contains($"Something listens on 127.0.0.1:{port} but does not answer like a registry", error.Message);
    }
}
