using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;

namespace Orders.Data;

public static class DataServices
{
    /// <summary>Registers <see cref="OrdersDbContext"/> on the configured provider and the start-up initializer.</summary>
    public static IServiceCollection AddOrdersData(this IServiceCollection services, DatabaseOptions options)
    {
        services.AddSingleton(options);
        services.AddDbContext<OrdersDbContext>(db =>
        {
            switch (options.Provider.ToLowerInvariant())
            {
                case "postgres":
                    db.UseNpgsql(options.ConnectionString ?? throw new InvalidOperationException("Database:ConnectionString is required for Postgres."));
                    break;
                case "sqlite":
                    db.UseSqlite(options.ConnectionString ?? $"Data Source={Path.Combine(Path.GetTempPath(), "orders.db")}");
                    break;
                default:
                    throw new InvalidOperationException($"Database:Provider '{options.Provider}' is neither Sqlite nor Postgres.");
            }
        });

        // A database that is still starting (a Postgres container beside the app) is retried, not fatal.
        services.AddSingleton(new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 5, Delay = TimeSpan.FromSeconds(1), BackoffType = DelayBackoffType.Exponential })
            .AddTimeout(TimeSpan.FromSeconds(30))
            .Build());
        services.AddTransient<DatabaseInitializer>();
        return services;
    }
}
