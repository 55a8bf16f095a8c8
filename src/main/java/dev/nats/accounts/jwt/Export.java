package dev.nats.accounts.jwt;

import java.time.Duration;
import java.util.Map;

/**
 * One entry of an account's {@code exports}. Zero / false / null fields are omitted from the JSON.
 *
 * @param accountTokenPosition 1-based token of {@code subject} that must be the importer's account
 *     key, 0 = none
 */
public record Export(
    String name,
    String subject,
    ExportType type,
    boolean tokenReq,
    Map<String, Long> revocations,
    ResponseType responseType,
    Duration responseThreshold,
    ServiceLatency latency,
    int accountTokenPosition,
    boolean advertise,
    String description,
    String infoUrl) {
  public Export {
    revocations = Lists.copy(revocations);
  }

  public static Export service(String name, String subject) {
    return new Export(
        name, subject, ExportType.SERVICE, false, null, null, null, null, 0, false, null, null);
  }

  public static Export stream(String name, String subject) {
    return new Export(
        name, subject, ExportType.STREAM, false, null, null, null, null, 0, false, null, null);
  }

  public Export withTokenReq(boolean v) {
    return new Export(
        name,
        subject,
        type,
        v,
        revocations,
        responseType,
        responseThreshold,
        latency,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }

  public Export withRevocations(Map<String, Long> v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        v,
        responseType,
        responseThreshold,
        latency,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }

  public Export withResponseType(ResponseType v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        v,
        responseThreshold,
        latency,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }

  public Export withResponseThreshold(Duration v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        responseType,
        v,
        latency,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }

  public Export withLatency(ServiceLatency v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        responseType,
        responseThreshold,
        v,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }

  public Export withAccountTokenPosition(int v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        responseType,
        responseThreshold,
        latency,
        v,
        advertise,
        description,
        infoUrl);
  }

  public Export withAdvertise(boolean v) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        responseType,
        responseThreshold,
        latency,
        accountTokenPosition,
        v,
        description,
        infoUrl);
  }

  public Export withInfo(String description, String infoUrl) {
    return new Export(
        name,
        subject,
        type,
        tokenReq,
        revocations,
        responseType,
        responseThreshold,
        latency,
        accountTokenPosition,
        advertise,
        description,
        infoUrl);
  }
}
