include $(sort $(wildcard $(BR2_EXTERNAL_EARLYWALL_PATH)/package/*/*.mk))
