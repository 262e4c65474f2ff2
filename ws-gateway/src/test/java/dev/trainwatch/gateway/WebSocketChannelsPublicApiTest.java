package dev.trainwatch.gateway;

/**
 * Every socket test again with the direct pipeline writes switched off: the public-API fallback
 * (what runs if a Vert.x upgrade drops {@code WebSocketInternal}) must behave the same, slow
 * clients and superseded frames included.
 */
class WebSocketChannelsPublicApiTest extends WebSocketChannelsTest {
  @Override
  boolean directWrites() {
    return false;
  }
}
