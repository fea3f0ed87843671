namespace Orders.Domain;

/// <summary>A customer's order: what the API stores and returns.</summary>
public sealed class Order
{
    public int Id { get; set; }

    public required string Customer { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    public List<OrderLine> Lines { get; set; } = [];

    public decimal Total => Lines.Sum(l => l.UnitPrice * l.Quantity);
}

/// <summary>One product of an order.</summary>
public sealed class OrderLine
{
    public int Id { get; set; }

    public required string Sku { get; set; }

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }
}

/// <summary>The body of POST /orders.</summary>
public sealed record NewOrder(string Customer, IReadOnlyList<NewOrderLine> Lines);

public sealed record NewOrderLine(string Sku, int Quantity, decimal UnitPrice);
