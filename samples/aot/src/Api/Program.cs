using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
// Native AOT has no reflection-based JSON: the source-generated context serializes the responses.
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AppJsonContext.Default));

var app = builder.Build();
app.MapGet("/", () => new Hello("aot-api", RuntimeInformation.ProcessArchitecture.ToString(), RuntimeFeature()));
app.MapGet("/healthz", () => "healthy");
app.Run();

// "native" when the app runs as a Native AOT binary (no JIT), "jit" otherwise (dotnet run on the host).
static string RuntimeFeature() => System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "jit" : "native";

internal sealed record Hello(string Service, string Arch, string Runtime);

[JsonSerializable(typeof(Hello))]
internal sealed partial class AppJsonContext : JsonSerializerContext;
