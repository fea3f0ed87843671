using System.Runtime.InteropServices;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orders.Data;
using Orders.Domain;
using Serilog;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSerilog((services, logger) => logger
    .ReadFrom.Configuration(builder.Configuration)
    .Enrich.FromLogContext()
    .WriteTo.Console());

builder.Services.AddOrdersData(builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions());
builder.Services.AddValidatorsFromAssemblyContaining<NewOrderValidator>();
builder.Services.AddHealthChecks().AddDbContextCheck<OrdersDbContext>("database");
builder.Services.AddEndpointsApiExplorer();
builder.Services.AddSwaggerGen();

// A downstream service the API would call, with the standard retry / circuit-breaker / timeout pipeline.
builder.Services.AddHttpClient("inventory", http => http.BaseAddress = new Uri(builder.Configuration["Inventory:BaseAddress"]!))
    .AddStandardResilienceHandler();

// Traces and metrics; exported over OTLP only when a collector is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
var otel = builder.Services.AddOpenTelemetry()
    .ConfigureResource(resource => resource.AddService("orders-api"))
    .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
    .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());
if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
{
    otel.UseOtlpExporter();
}

var app = builder.Build();

await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}

app.UseSerilogRequestLogging();
app.UseSwagger();

app.MapGet("/", (DatabaseOptions database) => new
{
    service = "orders-api",
    arch = RuntimeInformation.OSArchitecture.ToString(),
    database = database.Provider,
});

app.MapGet("/orders", async (OrdersDbContext db, CancellationToken token) =>
    (await db.Orders.AsNoTracking().Include(o => o.Lines).OrderBy(o => o.Id).ToListAsync(token)).Select(OrderView.From));

app.MapGet("/orders/{id:int}", async (int id, OrdersDbContext db, CancellationToken token) =>
    await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == id, token) is { } order
        ? Results.Ok(OrderView.From(order))
        : Results.NotFound());

app.MapPost("/orders", async (NewOrder request, IValidator<NewOrder> validator, OrdersDbContext db, CancellationToken token) =>
{
    var validation = await validator.ValidateAsync(request, token);
    if (!validation.IsValid)
    {
        return Results.ValidationProblem(validation.ToDictionary());
    }

    var order = new Order
    {
        Customer = request.Customer,
        PlacedAt = DateTimeOffset.UtcNow,
        Lines = request.Lines.Select(l => new OrderLine { Sku = l.Sku, Quantity = l.Quantity, UnitPrice = l.UnitPrice }).ToList(),
    };
    db.Orders.Add(order);
    await db.SaveChangesAsync(token);
    return Results.Created($"/orders/{order.Id}", OrderView.From(order));
});

app.MapHealthChecks("/healthz");

app.Run();

/// <summary>An order as the API returns it.</summary>
internal sealed record OrderView(int Id, string Customer, DateTimeOffset PlacedAt, decimal Total, IReadOnlyList<OrderLineView> Lines)
{
    public static OrderView From(Order order) =>
        new(order.Id, order.Customer, order.PlacedAt, order.Total, order.Lines.Select(l => new OrderLineView(l.Sku, l.Quantity, l.UnitPrice)).ToList());
}

internal sealed record OrderLineView(string Sku, int Quantity, decimal UnitPrice);
