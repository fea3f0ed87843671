using System.Runtime.InteropServices;

var app = WebApplication.CreateSlimBuilder(args).Build();

app.MapGet("/", () => new Greeting("StevedoreWebApi", RuntimeInformation.OSArchitecture.ToString()));
app.MapGet("/healthz", () => Results.Text("healthy"));

app.Run();

internal sealed record Greeting(string Service, string Arch);
