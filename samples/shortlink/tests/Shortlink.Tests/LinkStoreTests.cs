using Shortlink.Links;

namespace Shortlink.Tests;

public sealed class LinkStoreTests
{
    [Fact]
    public async Task Of_many_concurrent_adds_with_the_same_code_exactly_one_wins()
    {
        // Arrange
        var store = new InMemoryLinkStore();
        using var start = new Barrier(8);

        // Act: eight threads released together, each trying the same code with its own URL.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return store.TryAdd(new Link("SAMECOD", new Uri($"https://example.com/{i}")));
        }, TaskCreationOptions.LongRunning)));

        // Assert
        Assert.Single(results, won => won);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Concurrent_shortening_stores_every_link_under_a_distinct_code()
    {
        var store = new InMemoryLinkStore();
        var shortener = new LinkShortener(store, new Base62CodeGenerator());

        var links = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
            Enumerable.Range(0, 2_500).Select(i => shortener.Shorten(new Uri($"https://example.com/{worker}/{i}"))).ToList())));

        var all = links.SelectMany(l => l).ToList();
        Assert.Equal(10_000, store.Count);
        Assert.Equal(all.Count, all.Select(l => l.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, link => Assert.Equal(link, store.Find(link.Code)));
    }

    [Fact]
    public void A_taken_code_is_retried_with_a_new_one()
    {
        // Arrange
        var store = new InMemoryLinkStore();
        store.TryAdd(new Link("TAKEN00", new Uri("https://example.com/old")));
        var codes = new ScriptedCodeGenerator(["TAKEN00", "TAKEN00", "FREE000"]);

        // Act
        var link = new LinkShortener(store, codes).Shorten(new Uri("https://example.com/new"));

        // Assert
        Assert.Equal("FREE000", link.Code);
        Assert.Equal(3, codes.Calls);
        Assert.Equal(new Uri("https://example.com/old"), store.Find("TAKEN00")!.Target);
    }

    [Fact]
    public void Shortening_gives_up_after_the_maximum_number_of_attempts()
    {
        var store = new InMemoryLinkStore();
        store.TryAdd(new Link("TAKEN00", new Uri("https://example.com/old")));
        var codes = new ScriptedCodeGenerator(Enumerable.Repeat("TAKEN00", LinkShortener.MaxAttempts + 1));

        Assert.Throws<InvalidOperationException>(() => new LinkShortener(store, codes).Shorten(new Uri("https://example.com/new")));
        Assert.Equal(LinkShortener.MaxAttempts, codes.Calls);
    }

    [Fact]
    public void Codes_are_case_sensitive()
    {
        var store = new InMemoryLinkStore();
        store.TryAdd(new Link("abcdefg", new Uri("https://example.com/lower")));

        Assert.Null(store.Find("ABCDEFG"));
        Assert.True(store.TryAdd(new Link("ABCDEFG", new Uri("https://example.com/upper"))));
    }

    [Fact]
    public void Generated_codes_are_seven_base62_characters()
    {
        var generator = new Base62CodeGenerator();

        var codes = Enumerable.Range(0, 1_000).Select(_ => generator.Next()).ToList();

        Assert.All(codes, code => Assert.Matches("^[0-9A-Za-z]{7}$", code));
        Assert.True(codes.Distinct().Count() > 990, "codes should be random");
    }
}
