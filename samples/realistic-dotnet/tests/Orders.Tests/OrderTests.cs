using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Orders.Data;
using Orders.Domain;
using Polly;

[assembly: Parallelize(Scope = ExecutionScope.MethodLevel)]

namespace Orders.Tests;

[TestClass]
public sealed class OrderTests
{
    [TestMethod]
    public void ValidatorRejectsAnOrderWithoutLines()
    {
        var result = new NewOrderValidator().Validate(new NewOrder("Ada", []));

        Assert.IsFalse(result.IsValid);
        Assert.AreEqual("Lines", result.Errors.Single().PropertyName);
    }

    [TestMethod]
    public void ValidatorAcceptsAWellFormedOrder()
    {
        Assert.IsTrue(new NewOrderValidator().Validate(new NewOrder("Ada", [new("ENGINE-1", 1, 10m)])).IsValid);
    }

    [TestMethod]
    public async Task InitializerSeedsAnEmptyDatabaseOnce()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        var options = new DbContextOptionsBuilder<OrdersDbContext>().UseSqlite(connection).Options;

        for (var run = 0; run < 2; run++)
        {
            await using var db = new OrdersDbContext(options);
            await new DatabaseInitializer(db, ResiliencePipeline.Empty).InitializeAsync();
        }

        await using var read = new OrdersDbContext(options);
        var orders = await read.Orders.Include(o => o.Lines).OrderBy(o => o.Id).ToListAsync();
        Assert.HasCount(DatabaseInitializer.Seed.Count, orders);
        Assert.AreEqual(44.40m, orders[1].Total);
    }
}
