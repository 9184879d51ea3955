using System.Text;
using System.Text.Json;

namespace Pipelines.Containers;

/// <summary>Credentials the daemon presents to a registry on push or pull (the <c>X-Registry-Auth</c> header).</summary>
/// <param name="ServerAddress">The registry host (<c>127.0.0.1:5000</c>, <c>registry.cn-shanghai.aliyuncs.com</c>).</param>
/// <param name="Username">The user name, or null for anonymous access.</param>
/// <param name="Password">The password or access token.</param>
public sealed record RegistryAuth(string ServerAddress, string? Username = null, string? Password = null)
{
    /// <summary>No credentials: the daemon pushes anonymously.</summary>
    public static RegistryAuth Anonymous(string serverAddress) => new(serverAddress);

    /// <summary>The header value: base64url of the JSON the Engine API documents (padding kept, as the CLI does).</summary>
    public string ToHeader()
    {
        var json = Username is null
            ? "{}"
            : JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["username"] = Username,
                ["password"] = Password ?? "",
                ["serveraddress"] = ServerAddress,
            });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Never shows the password.</summary>
    public override string ToString() => Username is null ? $"anonymous@{ServerAddress}" : $"{Username}@{ServerAddress}";
}
