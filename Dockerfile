# Build and run marketrelay in a container (used by docker-compose.yml).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/release/marketrelay /usr/local/bin/marketrelay
COPY config ./config
ENV MARKETRELAY_HTTP_ADDR=0.0.0.0:8080 MARKETRELAY_SMTP_ADDR=0.0.0.0:2525
EXPOSE 8080 2525
ENTRYPOINT ["marketrelay"]
CMD ["serve"]
