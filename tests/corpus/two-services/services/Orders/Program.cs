var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => Results.Json(new { service = "orders", arch = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), text = Common.Words.Say("OrdersServiceAnswers") }));
app.Run();
