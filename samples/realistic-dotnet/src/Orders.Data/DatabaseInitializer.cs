using Microsoft.EntityFrameworkCore;
using Orders.Domain;
using Polly;

namespace Orders.Data;

/// <summary>Creates the schema and seeds a few orders when the database is empty.</summary>
public sealed class DatabaseInitializer(OrdersDbContext db, ResiliencePipeline retry)
{
    public static readonly IReadOnlyList<Order> Seed =
    [
        new() { Customer = "Ada Lovelace", PlacedAt = new DateTimeOffset(2026, 1, 5, 9, 30, 0, TimeSpan.Zero), Lines = [new() { Sku = "ENGINE-1", Quantity = 1, UnitPrice = 1843.00m }] },
        new() { Customer = "Grace Hopper", PlacedAt = new DateTimeOffset(2026, 2, 9, 14, 0, 0, TimeSpan.Zero), Lines = [new() { Sku = "COBOL-BK", Quantity = 2, UnitPrice = 19.95m }, new() { Sku = "BUG-JAR", Quantity = 1, UnitPrice = 4.50m }] },
        new() { Customer = "Linus Torvalds", PlacedAt = new DateTimeOffset(2026, 3, 14, 8, 15, 0, TimeSpan.Zero), Lines = [new() { Sku = "PENGUIN", Quantity = 3, UnitPrice = 12.00m }] },
    ];

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await retry.ExecuteAsync(async token =>
        {
            // An attempt the timeout cancelled may leave its seed orders tracked as Added: the next attempt would save
            // them along with its own (six orders instead of three on a slow machine).
            db.ChangeTracker.Clear();
            await db.Database.EnsureCreatedAsync(token);
            if (!await db.Orders.AnyAsync(token))
            {
                db.Orders.AddRange(Seed.Select(Copy));
                await db.SaveChangesAsync(token);
            }
        }, cancellationToken);
    }

    private static Order Copy(Order o) => new()
    {
        Customer = o.Customer,
        PlacedAt = o.PlacedAt,
        Lines = o.Lines.Select(l => new OrderLine { Sku = l.Sku, Quantity = l.Quantity, UnitPrice = l.UnitPrice }).ToList(),
    };
}
