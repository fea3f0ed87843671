using System.Runtime.InteropServices;
using Greetings;

var app = WebApplication.CreateSlimBuilder(args).Build();

app.MapGet("/", () => new
{
    service = "api",
    arch = RuntimeInformation.OSArchitecture.ToString(),
    greeting = Greeter.Greet("dotnet_api", 2),
});
app.MapGet("/healthz", () => Results.Text("healthy"));

app.Run();
