module github.com/sympozium-ai/libsympozium/bindings/go

go 1.19
