module example.com/shop/libs/shared

go 1.24
