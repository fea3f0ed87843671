var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => Results.Json(new { service = "billing", arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), text = Common.Words.Say("BillingServiceAnswers") }));
app.Run();
