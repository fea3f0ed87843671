var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => Results.Json(new { service = "imported-versions", arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), text = Humanizer.StringHumanizeExtensions.Humanize("VersionsComeFromEng") }));
app.Run();
