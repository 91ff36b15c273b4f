import ForgeCore
