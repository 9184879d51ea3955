namespace Pipelines.Oci;

/// <summary>
/// Credentials for one registry and where they came from. <see cref="Source"/> names the origin for error
/// messages ("username 'ci' from --registry-username", "anonymous") and never contains the secret.
/// </summary>
internal sealed record RegistryCredential
{
    /// <summary>No credentials.</summary>
    public static RegistryCredential Anonymous(string why = "anonymous") => new() { Source = why };

    /// <summary>Username and password (or a registry access token used as password).</summary>
    public static RegistryCredential Basic(string username, string password, string source) =>
        new() { Username = username, Password = password, Source = source };

    /// <summary>An OAuth2 refresh token (<c>identitytoken</c> in Docker's config, or a helper answering username <c>&lt;token&gt;</c>).</summary>
    public static RegistryCredential Token(string identityToken, string source) =>
        new() { IdentityToken = identityToken, Source = source };

    /// <summary>The user name for basic auth or a token exchange; null for an identity token alone.</summary>
    public string? Username { get; init; }

    /// <summary>The password; a secret: never log it.</summary>
    public string? Password { get; init; }

    /// <summary>The identity (refresh) token; a secret: never log it.</summary>
    public string? IdentityToken { get; init; }

    /// <summary>Where the credentials came from, for messages.</summary>
    public required string Source { get; init; }

    /// <summary>True when nothing is sent.</summary>
    public bool IsAnonymous => Username is null && IdentityToken is null;

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => Source;
}
