package dev.nats.accounts.app;

/** Entry point of the operator jar; sub-commands are added as their issues land. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("nats-account-operator");
  }
}
