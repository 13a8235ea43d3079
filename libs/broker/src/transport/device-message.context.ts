import { BaseRpcContext } from '@nestjs/microservices';

type DeviceMessageContextArgs = [deviceId: string, topic: string | undefined];

/** The @Ctx() of the broker transport's handlers. */
export class DeviceMessageContext extends BaseRpcContext<DeviceMessageContextArgs> {
  getDeviceId(): string {
    return this.args[0];
  }

  /** The MQTT topic of a publish; undefined for session messages. */
  getTopic(): string | undefined {
    return this.args[1];
  }
}
