// Package config reads the service's settings with viper: embedded YAML defaults, an optional config file
// (--config), ORDERS_* environment variables and command-line flags, in rising order of precedence.
package config

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Line is one product of a seeded order.
type Line struct {
	SKU            string `mapstructure:"sku"`
	Quantity       int    `mapstructure:"quantity"`
	UnitPriceCents int64  `mapstructure:"unit_price_cents"`
}

// Order is a seeded order.
type Order struct {
	Customer string    `mapstructure:"customer"`
	PlacedAt time.Time `mapstructure:"placed_at"`
	Lines    []Line    `mapstructure:"lines"`
}

// Settings is everything the service reads at start.
type Settings struct {
	Host string `mapstructure:"host"`
	Port int    `mapstructure:"port"`
	Log  struct {
		Level  string `mapstructure:"level"`
		Format string `mapstructure:"format"`
	} `mapstructure:"log"`
	HTTP struct {
		RequestTimeout time.Duration `mapstructure:"request_timeout"`
		CORSOrigins    []string      `mapstructure:"cors_origins"`
	} `mapstructure:"http"`
	Orders []Order `mapstructure:"orders"`
}

// Load merges the layers; args are the command-line arguments without the program name.
func Load(defaults []byte, args []string) (Settings, error) {
	var settings Settings
	flags := pflag.NewFlagSet("orders", pflag.ContinueOnError)
	flags.Int("port", 0, "port to listen on (default from config)")
	flags.String("config", "", "YAML file with settings that override the defaults")
	flags.String("log-level", "", "trace|debug|info|warn|error")
	if err := flags.Parse(args); err != nil {
		return settings, err
	}

	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(defaults)); err != nil {
		return settings, fmt.Errorf("embedded defaults: %w", err)
	}
	if file, _ := flags.GetString("config"); file != "" {
		v.SetConfigFile(file)
		if err := v.MergeInConfig(); err != nil {
			return settings, fmt.Errorf("%s: %w", file, err)
		}
	}

	v.SetEnvPrefix("orders")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	_ = v.BindEnv("port", "PORT", "ORDERS_PORT") // PORT, as container platforms set it
	if port, _ := flags.GetInt("port"); port != 0 {
		v.Set("port", port)
	}
	if level, _ := flags.GetString("log-level"); level != "" {
		v.Set("log.level", level)
	}

	if err := v.Unmarshal(&settings); err != nil {
		return settings, fmt.Errorf("settings: %w", err)
	}
	if settings.Port < 1 || settings.Port > 65535 {
		return settings, fmt.Errorf("port %d is out of range", settings.Port)
	}
	return settings, nil
}
