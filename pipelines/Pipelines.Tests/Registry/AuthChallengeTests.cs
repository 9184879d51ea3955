using Pipelines.Registry;

namespace Pipelines.Tests.Registry;

public class AuthChallengeTests
{
    [Fact]
    public void A_bearer_challenge_keeps_commas_inside_quoted_scopes()
    {
        var challenge = AuthChallenge.Parse("Bearer",
            "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull,push\"");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/nginx:pull,push", challenge.Parameters["scope"]);
    }

    [Fact]
    public void A_basic_challenge_with_unquoted_values_parses()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=local, charset=\"UTF-8\"");

        Assert.True(challenge.IsBasic);
        Assert.Equal("local", challenge.Realm);
        Assert.Equal("UTF-8", challenge.Parameters["charset"]);
    }
}
