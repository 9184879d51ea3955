using System.Net;
using System.Net.Sockets;

namespace Pipelines.Tests.Support;

/// <summary>Free TCP ports on the loopback interface, for tests that need an address nothing listens on.</summary>
public static class FreePort
{
    /// <summary>A port the OS just handed out and released: nothing listens on it until someone binds it again.</summary>
    public static int OnLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
