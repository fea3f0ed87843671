module example.com/shop/services/api

go 1.24
