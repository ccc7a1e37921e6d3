package dev.netc.runtime.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.NetcException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenClDeviceTest {

  @BeforeEach
  void available() {
    OpenClTests.assumeAvailable();
  }

  @Test
  void availabilityIsConsistent() {
    assertTrue(OpenCl.isAvailable());
    assertEquals("", OpenCl.unavailableReason());
  }

  @Test
  void devicesAreListedInPlatformThenDeviceOrder() {
    List<ClDevice> devices = OpenCl.devices();
    assertFalse(devices.isEmpty());
    for (int i = 1; i < devices.size(); i++) {
      ClDevice a = devices.get(i - 1);
      ClDevice b = devices.get(i);
      assertTrue(a.platformIndex() < b.platformIndex()
          || (a.platformIndex() == b.platformIndex() && a.deviceIndex() < b.deviceIndex()), a + " before " + b);
    }
    for (ClDevice d : devices) {
      assertTrue(List.of("GPU", "CPU", "ACCELERATOR", "OTHER").contains(d.type()), d.type());
      assertTrue(d.computeUnits() > 0);
      assertTrue(d.globalMemoryBytes() > 0);
      assertTrue(d.maxWorkGroupSize() > 0);
      assertFalse(d.name().isEmpty());
      assertTrue(d.version().startsWith("OpenCL"), d.version());
      String text = d.describe();
      assertTrue(text.startsWith(d.platformName() + " / " + d.name() + " (" + d.type() + ", "), text);
      assertTrue(text.endsWith(d.computeUnits() == 1 ? " compute unit)" : " compute units)"), text);
    }
  }

  @Test
  void selectsByIndex() {
    ClDevice first = OpenCl.devices().get(0);
    assertEquals(first, OpenCl.select("0:0"));
    assertEquals(first, OpenCl.select("0"));
    assertEquals(first, OpenCl.select(" 0:0 "));
    for (ClDevice d : OpenCl.devices()) assertEquals(d, OpenCl.select(d.spec()));
  }

  @Test
  void autoPrefersAGpuElseTheFirstDevice() {
    ClDevice expected = OpenCl.devices().stream().filter(d -> d.type().equals("GPU")).findFirst()
        .orElse(OpenCl.devices().get(0));
    assertEquals(expected, OpenCl.select(null));
    assertEquals(expected, OpenCl.select(""));
    assertEquals(expected, OpenCl.select("auto"));
    assertEquals(expected, OpenCl.select("AUTO"));
  }

  @Test
  void selectsByNameSubstringIgnoringCase() {
    ClDevice first = OpenCl.devices().get(0);
    String part = first.name().substring(0, Math.min(6, first.name().length())).toUpperCase(Locale.ROOT);
    assertEquals(first.name().toLowerCase(Locale.ROOT).substring(0, part.length()),
        OpenCl.select(part).name().toLowerCase(Locale.ROOT).substring(0, part.length()));
    String platformPart = first.platformName().substring(0, Math.min(8, first.platformName().length()))
        .toLowerCase(Locale.ROOT);
    assertTrue(OpenCl.select(platformPart).platformName().toLowerCase(Locale.ROOT).contains(platformPart));
  }

  @Test
  void unknownNameListsTheDevices() {
    NetcException e = assertThrows(NetcException.class, () -> OpenCl.select("no-such-device-xyz"));
    assertTrue(e.getMessage().contains("'no-such-device-xyz'"), e.getMessage());
    for (ClDevice d : OpenCl.devices()) assertTrue(e.getMessage().contains(d.describe()), e.getMessage());
    assertTrue(e.getMessage().contains(OpenCl.DEVICE_ENV), e.getMessage());
  }

  @Test
  void unknownIndexListsTheDevices() {
    NetcException e = assertThrows(NetcException.class, () -> OpenCl.select("7:3"));
    assertTrue(e.getMessage().contains("no OpenCL device 7:3"), e.getMessage());
    assertTrue(e.getMessage().contains("0:0  " + OpenCl.devices().get(0).describe()), e.getMessage());
    assertThrows(NetcException.class, () -> OpenCl.select("99999999999"));
  }

  @Test
  void defaultSpecComesFromTheSystemProperty() {
    String old = System.getProperty(OpenCl.DEVICE_PROPERTY);
    try {
      System.setProperty(OpenCl.DEVICE_PROPERTY, "0:0");
      assertEquals(OpenCl.devices().get(0), OpenCl.select());
      System.setProperty(OpenCl.DEVICE_PROPERTY, "no-such-device-xyz");
      assertThrows(NetcException.class, OpenCl::select);
    } finally {
      if (old == null) System.clearProperty(OpenCl.DEVICE_PROPERTY);
      else System.setProperty(OpenCl.DEVICE_PROPERTY, old);
    }
  }
}
