package dev.parley.rooms;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** Someone who joined a room: when, under which name, and when and why they left. */
@Entity
@Table(name = "parley_participant")
public class Participant {

    @Id
    public String id;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "room_name")
    public String roomName;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "user_agent")
    public String userAgent;
    @Column(name = "client_address")
    public String clientAddress;
    @Column(name = "joined_at")
    public LocalDateTime joinedAt;
    @Column(name = "left_at")
    public LocalDateTime leftAt;
    @Column(name = "leave_reason")
    public String leaveReason;
    @Column(name = "instance_id")
    public String instanceId;
}
