using Microsoft.EntityFrameworkCore;
using Orders.Domain;

namespace Orders.Data;

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Order>(order =>
        {
            order.Property(o => o.Customer).HasMaxLength(100);
            order.Ignore(o => o.Total);
            order.HasMany(o => o.Lines).WithOne().OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<OrderLine>(line =>
        {
            line.Property(l => l.Sku).HasMaxLength(20);
            // SQLite has no decimal type: store cents-exact text, as EF Core's SQLite provider does with this converter.
            line.Property(l => l.UnitPrice).HasConversion<string>();
        });
    }
}
