using Shortlink;

// All wiring lives in ShortlinkApp so the tests start exactly the same application.
var app = ShortlinkApp.Create(args);
await app.RunAsync();
