// Package orders keeps the service's orders in memory, seeded from the settings.
package orders

import (
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/google/uuid"

	"example.com/orders/internal/config"
)

// Line is one product of an order.
type Line struct {
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	UnitPriceCents int64  `json:"unitPriceCents"`
}

// Order as the API returns it.
type Order struct {
	ID         uuid.UUID `json:"id"`
	Customer   string    `json:"customer"`
	PlacedAt   time.Time `json:"placedAt"`
	Lines      []Line    `json:"lines"`
	TotalCents int64     `json:"totalCents"`
}

// ErrInvalid is returned for an order without a customer or lines.
var ErrInvalid = errors.New("an order needs a customer and at least one line with a positive quantity")

// Store is safe for concurrent use.
type Store struct {
	mu     sync.RWMutex
	orders map[uuid.UUID]Order
}

// NewStore seeds a store; IDs are name-based (SHA-1) so they are the same on every start and platform.
func NewStore(seed []config.Order) *Store {
	s := &Store{orders: map[uuid.UUID]Order{}}
	for _, o := range seed {
		lines := make([]Line, 0, len(o.Lines))
		for _, l := range o.Lines {
			lines = append(lines, Line(l))
		}
		order := newOrder(uuid.NewSHA1(uuid.NameSpaceURL, []byte("orders:"+o.Customer+o.PlacedAt.String())), o.Customer, o.PlacedAt, lines)
		s.orders[order.ID] = order
	}
	return s
}

// List returns every order, oldest first.
func (s *Store) List() []Order {
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		list = append(list, o)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].PlacedAt.Before(list[j].PlacedAt) })
	return list
}

// Get returns one order.
func (s *Store) Get(id uuid.UUID) (Order, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, ok := s.orders[id]
	return o, ok
}

// Add validates and stores a new order with a random ID.
func (s *Store) Add(customer string, lines []Line) (Order, error) {
	if customer == "" || len(lines) == 0 {
		return Order{}, ErrInvalid
	}
	for _, l := range lines {
		if l.SKU == "" || l.Quantity < 1 || l.UnitPriceCents < 0 {
			return Order{}, ErrInvalid
		}
	}
	order := newOrder(uuid.New(), customer, time.Now().UTC(), lines)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orders[order.ID] = order
	return order, nil
}

func newOrder(id uuid.UUID, customer string, placedAt time.Time, lines []Line) Order {
	var total int64
	for _, l := range lines {
		total += int64(l.Quantity) * l.UnitPriceCents
	}
	return Order{ID: id, Customer: customer, PlacedAt: placedAt, Lines: lines, TotalCents: total}
}
